import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CliError, EXIT, exitCodeForStatus } from './output';

/** The server the CLI talks to: --url, else GLOBE_VAULT_URL, else the server's default address. */
export const DEFAULT_URL = 'http://127.0.0.1:3000';

export interface Connection {
  url: string;
  token?: string;
}

type Query = Record<string, string | number | boolean | undefined>;

/**
 * The HTTP side of the CLI: JSON calls, streamed uploads and downloads. Every request says it
 * comes from the CLI (`X-Source: cli`, kept in the audit trail) and carries the token when one is
 * given. A non-2xx answer becomes a CliError with the server's `{code, message, details}` and the
 * exit code its status maps to; no answer at all becomes EXIT.UNREACHABLE.
 */
export class ApiClient {
  readonly url: string;

  constructor(readonly connection: Connection) {
    this.url = connection.url.replace(/\/+$/, '');
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.json<T>('GET', path, { query });
  }

  post<T>(path: string, body?: unknown, query?: Query): Promise<T> {
    return this.json<T>('POST', path, { body, query });
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.json<T>('PUT', path, { body });
  }

  delete<T>(path: string): Promise<T> {
    return this.json<T>('DELETE', path, {});
  }

  /** Streams a file from disk as the raw body of a POST (imports, backup uploads). */
  async upload<T>(path: string, file: string, query?: Query, headers: Record<string, string> = {}): Promise<T> {
    const size = (await stat(file).catch(() => null))?.size;
    if (size === undefined) throw new CliError(EXIT.USAGE, `cannot read ${file}`);
    const res = await this.send('POST', path, query, {
      body: Readable.toWeb(createReadStream(file)) as ReadableStream,
      duplex: 'half',
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(size), 'X-File-Name': basename(file), ...headers },
    } as RequestInit);
    return (await res.json()) as T;
  }

  /** Streams a GET's body to `target` (a path, or `-` for stdout); answers the server's file name. */
  async download(path: string, target: string | undefined, query?: Query): Promise<{ file: string; bytes: number }> {
    const res = await this.send('GET', path, query, {});
    const named = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1];
    const file = target ?? (named ? basename(named) : 'download');
    const body = Readable.fromWeb(res.body! as never);
    let bytes = 0;
    body.on('data', (chunk: Buffer) => (bytes += chunk.length));
    if (file === '-') await pipeline(body, process.stdout, { end: false });
    else await pipeline(body, createWriteStream(file));
    return { file, bytes };
  }

  private async json<T>(method: string, path: string, options: { body?: unknown; query?: Query }): Promise<T> {
    const init: RequestInit = options.body === undefined ? {} : { body: JSON.stringify(options.body), headers: { 'Content-Type': 'application/json' } };
    const res = await this.send(method, path, options.query, init);
    const text = await res.text();
    return (text ? JSON.parse(text) : null) as T;
  }

  private async send(method: string, path: string, query: Query | undefined, init: RequestInit): Promise<Response> {
    const url = new URL(this.url + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    let res: Response;
    try {
      res = await fetch(url, { ...init, method, headers: { ...this.headers(), ...(init.headers as Record<string, string>) } });
    } catch (error) {
      throw unreachable(this.url, error);
    }
    if (res.ok) return res;
    const body = await res.json().catch(() => null);
    const code = typeof body?.code === 'string' ? body.code : `HTTP.${res.status}`;
    const message = typeof body?.message === 'string' ? body.message : res.statusText;
    throw new CliError(exitCodeForStatus(res.status), `${code}: ${message}`, { code, message, details: body?.details });
  }

  headers(): Record<string, string> {
    // X-Actor names the person on loopback without a token; with one, the token is the actor and this its display name.
    return { 'X-Source': 'cli', 'X-Actor': operatorName(), ...(this.connection.token ? { Authorization: `Bearer ${this.connection.token}` } : {}) };
  }
}

export function unreachable(url: string, error: unknown): CliError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const why = cause?.code ?? cause?.message ?? (error as Error).message;
  return new CliError(EXIT.UNREACHABLE, `no server answers at ${url} (${why}); is it running? (--url, GLOBE_VAULT_URL)`, {
    code: 'CLI.UNREACHABLE',
    message: `no server answers at ${url} (${why})`,
  });
}

function operatorName(): string {
  try {
    return userInfo().username || 'cli';
  } catch {
    return 'cli';
  }
}
