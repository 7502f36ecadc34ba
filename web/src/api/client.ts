import { authorizationHeader, tokenNeeded } from './accessToken';

/**
 * The one way the UI talks to Globe Vault: JSON over fetch, with who is acting (`X-Actor`), through
 * what (`X-Source: ui`, which also keeps uploads from looking like a cross-site form post) and the
 * tab's API token when it has one, on every request, and every failure turned into an ApiError
 * that carries the server's stable `{code, message}`.
 */

const ACTOR_KEY = 'globe-vault.actor';
const DEFAULT_ACTOR = 'you';

export function currentActor(): string {
  return localStorage.getItem(ACTOR_KEY)?.trim() || DEFAULT_ACTOR;
}

export function setActor(name: string): void {
  localStorage.setItem(ACTOR_KEY, name.trim() || DEFAULT_ACTOR);
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export const apiHeaders = (contentType?: string): Record<string, string> => ({
  'X-Source': 'ui',
  'X-Actor': currentActor(),
  Accept: 'application/json',
  ...authorizationHeader(),
  ...(contentType ? { 'Content-Type': contentType } : {}),
});

const unreachable = () => new ApiError(0, 'NETWORK.UNREACHABLE', 'Globe Vault did not answer; check that the server is running.');

/** A response as the caller's value, or the server's `{code, message, details}` as an ApiError. */
export function readAnswer<T>(status: number, statusText: string, text: string): T {
  if (status === 204) return undefined as T;
  const body = text ? parseJson(text) : undefined;
  if (status >= 200 && status < 300) return body as T;
  const err = (body ?? {}) as { code?: string; message?: string; details?: unknown };
  if (status === 401 && err.code === 'AUTH.UNAUTHENTICATED') tokenNeeded();
  throw new ApiError(status, err.code ?? `HTTP.${status}`, err.message ?? statusText, err.details);
}

async function request<T>(method: string, path: string, init: { body?: BodyInit; contentType?: string; signal?: AbortSignal } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { method, headers: apiHeaders(init.contentType), body: init.body, signal: init.signal });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw unreachable();
  }
  return readAnswer<T>(res.status, res.statusText, await res.text());
}

/**
 * A file as the raw request body (imports, backup uploads), streamed by the browser and never
 * parsed here. XMLHttpRequest rather than fetch: only it reports upload progress.
 */
function upload<T>(path: string, file: Blob, contentType: string, onProgress?: (sent: number, total: number) => void, extraHeaders: Record<string, string> = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    for (const [name, value] of Object.entries({ ...apiHeaders(contentType), ...extraHeaders })) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => onProgress?.(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      try {
        resolve(readAnswer<T>(xhr.status, xhr.statusText, xhr.responseText));
      } catch (error) {
        reject(error);
      }
    };
    xhr.onerror = () => reject(unreachable());
    xhr.send(file);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 300) };
  }
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', withQuery(path, query), { signal }),
  post: <T>(path: string, body: unknown = {}) => request<T>('POST', path, { body: JSON.stringify(body), contentType: 'application/json' }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body: JSON.stringify(body), contentType: 'application/json' }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body: JSON.stringify(body), contentType: 'application/json' }),
  delete: (path: string) => request<void>('DELETE', path),
  upload,
};

/** Follows `next` cursors until the list ends; `pageQuery(cursor)` builds each page's query. */
export async function allPages<T>(path: string, pageQuery: (cursor: string | null) => Query, signal?: AbortSignal, onPage?: (items: T[]) => void): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: T[]; next: string | null } = await api.get(path, pageQuery(cursor), signal);
    items.push(...page.items);
    onPage?.(items);
    cursor = page.next;
  } while (cursor);
  return items;
}
