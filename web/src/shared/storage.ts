// Everything the pages keep in the browser starts with this prefix, so signing out or unpairing can remove all of
// it at once (see docs/browser.md).
export const StoragePrefix = 'hikiconsult.';

/** Removes every key the pages wrote, from localStorage and sessionStorage. */
export function forgetAllStored(): void {
  for (const store of [localStorage, sessionStorage]) {
    for (const key of Object.keys(store)) if (key.startsWith(StoragePrefix)) store.removeItem(key);
  }
}
