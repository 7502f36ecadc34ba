import { Agent, IncomingHttpHeaders, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface RawRequest {
  method: string;
  /** Sent exactly as given (no normalisation of `..` or of encodings). */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

export interface RawResponse {
  /** 0 when no HTTP answer came (connection refused or reset, timeout). */
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as text, cut at 64 KiB. */
  text: string;
  ms: number;
  error?: string;
}

const MAX_KEPT = 64 * 1024;

/**
 * A request as a hostile or a busy client sends it, through node:http rather than fetch or
 * supertest, which normalise paths, refuse some methods and buffer whole bodies. Never rejects: a
 * connection failure is status 0 with its error; a request node:http refuses to build (an invalid
 * header) is status -1.
 */
export class RawHttp {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 32 });

  constructor(private readonly port: number, private readonly timeoutMs = 60_000) {}

  send(req: RawRequest): Promise<RawResponse> {
    const t0 = performance.now();
    return new Promise((resolve) => {
      const done = (status: number, headers: IncomingHttpHeaders, text: string, error?: string) =>
        resolve({ status, headers, text, ms: performance.now() - t0, ...(error ? { error } : {}) });
      let outgoing;
      try {
        const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body);
        outgoing = request(
          { host: '127.0.0.1', port: this.port, method: req.method, path: req.path, agent: this.agent, timeout: this.timeoutMs, headers: { ...(body ? { 'content-length': String(body.length) } : {}), ...req.headers } },
          (res) => {
            const chunks: Buffer[] = [];
            let kept = 0;
            res.on('data', (chunk: Buffer) => {
              if (kept < MAX_KEPT) chunks.push(chunk);
              kept += chunk.length;
            });
            res.on('end', () => done(res.statusCode ?? 0, res.headers, Buffer.concat(chunks).subarray(0, MAX_KEPT).toString('utf8')));
            res.on('error', (error) => done(res.statusCode ?? 0, res.headers, '', error.message));
          },
        );
        outgoing.on('timeout', () => outgoing!.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
        outgoing.on('error', (error) => done(0, {}, '', error.message));
        outgoing.end(body);
      } catch (error) {
        done(-1, {}, '', error instanceof Error ? error.message : String(error));
      }
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The JSON body of an answer, or null when it is not JSON. */
export function jsonOf(res: RawResponse): any {
  try {
    return JSON.parse(res.text);
  } catch {
    return null;
  }
}
