// One polite live region per page that says only what is new, a line at a time. The visible lists are never live
// regions themselves, so rebuilding or updating them is never read out again.
import { h } from './dom';

const KeepLines = 6;

export class Announcer {
  readonly element: HTMLElement;

  constructor(host: HTMLElement = document.body) {
    this.element = h('div', { id: 'announcer', class: 'sr-only', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'false' });
    host.append(this.element);
  }

  /** Adds one line; screen readers read the added line only (aria-relevant defaults to additions). */
  say(line: string): void {
    if (!line.trim()) return;
    this.element.append(h('p', {}, line));
    while (this.element.childElementCount > KeepLines) this.element.firstElementChild?.remove();
  }
}
