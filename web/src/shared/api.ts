// REST access. A refused call throws an ApiError whose message is the server's ProblemDetails (detail or title, and
// the field errors of a validation problem), so pages can show the server's own reason.
import type { ProblemDetails } from './contract';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problem?: unknown,
  ) {
    super(message);
  }
}

export class Api {
  constructor(
    private readonly token: () => string | null,
    private readonly onUnauthorized: () => void = () => {},
  ) {}

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const t = this.token();
    if (t) headers.Authorization = `Bearer ${t}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw new ApiError(0, 'The server cannot be reached. Check the connection and try again.');
    }
    if (res.status === 401 && t) this.onUnauthorized();
    const text = await res.text();
    let data: unknown = undefined;
    const type = res.headers.get('content-type') ?? '';
    if (text && type.includes('json')) {
      try {
        data = JSON.parse(text);
      } catch {
        data = undefined;
      }
    } else if (text) {
      data = text;
    }
    if (!res.ok) {
      const problem = type.includes('problem+json') || (data && typeof data === 'object') ? data : undefined;
      throw new ApiError(res.status, problemMessage(res.status, problem), problem);
    }
    return data as T;
  }
}

export function problemMessage(status: number, problem: unknown): string {
  if (problem && typeof problem === 'object') {
    const p = problem as ProblemDetails;
    const parts: string[] = [];
    if (p.detail) parts.push(p.detail);
    else if (p.title) parts.push(p.title);
    if (p.errors) {
      for (const [k, v] of Object.entries(p.errors)) parts.push(`${k}: ${v.join(' ')}`);
    }
    if (parts.length) return parts.join(' ');
  }
  if (status === 401) return 'Please sign in again.';
  if (status === 403 || status === 404) return 'Not found.';
  if (status === 429) return 'Too many attempts. Please wait a moment and try again.';
  return `The server answered ${status}.`;
}
