import { mkdtempSync, rmSync } from 'node:fs';
import { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// s3rver ships no types; its surface used here is run(), close(), httpServer and the 'event' emitter.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver');

/** The credentials s3rver accepts by default. */
export const S3RVER_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };

export interface TestS3Server {
  endpoint: string;
  port: number;
  bucket: string;
  /** S3 event names as the server emits them ("ObjectCreated:Put" for one PutObject, "ObjectCreated:Post" for a completed multipart upload), with keys. */
  events: { name: string; key: string }[];
  /** Every HTTP request the server answered: method, path and query, and when it began and finished (epoch ms). */
  requests: S3Request[];
  /** Stops listening and drops every open connection (the store's files stay). */
  stop(): Promise<void>;
  /** Listens again on the same port, on the same files. */
  start(): Promise<void>;
  close(): Promise<void>;
  /** The environment an app needs to use this server (endpoint, path style, credentials). */
  env(): Record<string, string>;
}

export interface S3Request {
  method: string;
  url: string;
  /** The request body's declared length (content-length), 0 without one. */
  bytes: number;
  startMs: number;
  /** 0 until the response has been sent. */
  endMs: number;
  status: number;
}

/** A real S3 server (s3rver) on 127.0.0.1 with one bucket, its files in a fresh temporary folder. */
export async function startS3Server(bucket = 'globe-vault-test'): Promise<TestS3Server> {
  const directory = mkdtempSync(join(tmpdir(), 'gv-s3-'));
  const events: TestS3Server['events'] = [];
  const requests: S3Request[] = [];
  let server: any = null;
  let port = 0;
  const start = async () => {
    server = new S3rver({ port, address: '127.0.0.1', directory, silent: true, configureBuckets: [{ name: bucket }] });
    server.on('event', (e: any) => {
      for (const r of e.Records ?? []) events.push({ name: r.eventName, key: decodeURIComponent(r.s3.object.key) });
    });
    const address = await server.run();
    port = address.port;
    (server.httpServer as Server).on('request', (req, res) => {
      const seen: S3Request = { method: req.method ?? '', url: req.url ?? '', bytes: Number(req.headers['content-length'] ?? 0), startMs: Date.now(), endMs: 0, status: 0 };
      requests.push(seen);
      res.once('finish', () => Object.assign(seen, { endMs: Date.now(), status: res.statusCode }));
    });
  };
  const stop = async () => {
    if (!server) return;
    const http: Server = server.httpServer;
    // A request still in flight when it closes would log through a logger without transports
    // (winston then console.errors, after the suite ended: jest fails the run for it).
    server.logger.silent = true;
    const closed = server.close();
    http.closeAllConnections();
    await closed;
    server = null;
  };
  await start();
  const self: TestS3Server = {
    get endpoint() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    bucket,
    events,
    requests,
    stop,
    start,
    async close() {
      await stop();
      rmSync(directory, { recursive: true, force: true });
    },
    env() {
      return { S3_ENDPOINT: self.endpoint, S3_REGION: 'us-east-1', S3_FORCE_PATH_STYLE: 'true', ...S3RVER_CREDENTIALS };
    },
  };
  return self;
}
