// Staff access tokens live 15 minutes: renew them shortly before they expire with the rotating refresh token
// (POST /api/auth/refresh, which uses the refresh token up and returns a new pair), and sign out on the server
// (POST /api/auth/logout) so that the tokens stop working at once, not only in this tab.
import type { LoginResponse } from './contract';

const RENEW_BEFORE_MS = 60_000;
const RETRY_MS = 15_000;

export interface RenewableAuth { token: string; expiresAt: string; refreshToken?: string }

export class SessionRenewal {
  private timer: number | undefined;

  /** Renews before `expiresAt`; `renewed` gets the new pair, `ended` is called when the sign-in cannot be renewed. */
  keep(auth: RenewableAuth, renewed: (res: LoginResponse) => void, ended: () => void): void {
    this.stop();
    if (!auth.refreshToken) return;
    const refreshToken = auth.refreshToken;
    const due = Math.max(0, Date.parse(auth.expiresAt) - Date.now() - RENEW_BEFORE_MS);
    this.timer = window.setTimeout(async () => {
      try {
        const res = await fetch('/api/auth/refresh', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ refreshToken }),
        });
        if (res.ok) renewed(await res.json() as LoginResponse);
        else if (res.status === 401 || res.status === 400) ended();
        else this.retry(auth, renewed, ended);
      } catch {
        // Offline for a moment: try again while the access token may still be valid.
        this.retry(auth, renewed, ended);
      }
    }, due);
  }

  stop(): void {
    if (this.timer !== undefined) window.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private retry(auth: RenewableAuth, renewed: (res: LoginResponse) => void, ended: () => void): void {
    this.timer = window.setTimeout(() => this.keep({ ...auth, expiresAt: new Date(Date.now() + RENEW_BEFORE_MS).toISOString() }, renewed, ended), RETRY_MS);
  }
}

/** Ends the sign-in on the server; the caller forgets the tokens whatever the answer. */
export async function signOutOnServer(token: string): Promise<void> {
  try {
    await fetch('/api/auth/logout', { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
  } catch {
    // Unreachable server: the access token still expires within 15 minutes.
  }
}
