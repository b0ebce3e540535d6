// REST access with ProblemDetails errors. A missing endpoint (404 on a route, 405, 501) is reported as
// "not available" so pages can show a clear state instead of breaking while parts of the server are still to come.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problem?: unknown,
  ) {
    super(message);
  }

  /**
   * True when the server has no such endpoint. Callers ask this only about endpoints under a resource they could
   * already read (or global ones), where a 404 cannot mean "not yours".
   */
  get notAvailable(): boolean {
    return this.status === 404 || this.status === 405 || this.status === 501;
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
    const p = problem as { detail?: string; title?: string; errors?: Record<string, string[]> };
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

/** Lists come either bare or wrapped ({items}, {sessions}, …); accept both. */
export function asList<T>(data: unknown, ...keys: string[]): T[] {
  if (Array.isArray(data)) return data as T[];
  if (data && typeof data === 'object') {
    for (const k of [...keys, 'items', 'entries', 'data']) {
      const v = (data as Record<string, unknown>)[k];
      if (Array.isArray(v)) return v as T[];
    }
  }
  return [];
}
