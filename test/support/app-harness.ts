import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { createApp } from '../../src/create-app';

/** What `request(server)` gives: `.get()`, `.post()`, … each returning a supertest Test. */
export type Http = ReturnType<typeof request>;

export interface TestApp {
  app: NestExpressApplication;
  http: Http;
  dataDir: string;
  /** Closes the app and removes its DATA_DIR. Safe to call twice. */
  close(): Promise<void>;
  /** Closes the app but keeps DATA_DIR, so `restartApp(dataDir)` can open the same files. */
  stop(): Promise<void>;
}

/** The final states of a job. */
export const FINAL_STATES = ['completed', 'failed', 'cancelled'] as const;

/**
 * Boots the real application (createApp, the same factory main.ts uses) on DATA_DIR and listens on
 * an ephemeral port of 127.0.0.1. Configuration is read from process.env when the module tree is
 * built, so DATA_DIR is set right before createApp.
 */
async function boot(dataDir: string, removeOnClose: boolean, env: Record<string, string> = {}): Promise<TestApp> {
  const saved = new Map(Object.keys(env).map((k) => [k, process.env[k]]));
  process.env.DATA_DIR = dataDir;
  process.env.LOG_LEVEL ??= 'error';
  Object.assign(process.env, env);
  let app: NestExpressApplication;
  try {
    app = await createApp();
  } finally {
    // the configuration is read while the app is built: later apps must not inherit these overrides
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  await app.listen(0, '127.0.0.1');
  const http = request(app.getHttpServer());
  let closed = false;
  const stop = async () => {
    if (closed) return;
    closed = true;
    await app.close();
  };
  return {
    app,
    http,
    dataDir,
    stop,
    close: async () => {
      await stop();
      if (removeOnClose) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh app on a fresh, empty DATA_DIR (a new mkdtemp directory per call). `env` overrides other
 * configuration variables (e.g. MAX_UPLOAD_BYTES) for this app only.
 */
export async function startApp(env: Record<string, string> = {}): Promise<TestApp> {
  return boot(mkdtempSync(join(tmpdir(), 'gv-e2e-')), true, env);
}

/**
 * A second app on an existing DATA_DIR (the first must be stopped before): proves what survives a
 * restart. Its `close()` removes the directory. `env` as for startApp (e.g. other keys).
 */
export async function restartApp(dataDir: string, env: Record<string, string> = {}): Promise<TestApp> {
  return boot(dataDir, true, env);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls GET /api/jobs/:id until the job is completed, failed or cancelled; returns its final view. */
export async function waitForJob(http: Http, jobId: string, timeoutMs = 20_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await http.get(`/api/jobs/${jobId}`);
    if (res.status !== 200) throw new Error(`GET /api/jobs/${jobId} answered ${res.status}: ${JSON.stringify(res.body)}`);
    if ((FINAL_STATES as readonly string[]).includes(res.body.state)) return res.body;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${res.body.state} (${res.body.phase}) after ${timeoutMs} ms`);
    await sleep(20);
  }
}

/** Coordinates of row i of `csv()`: valid, deterministic, spread over the globe. */
export function csvRow(i: number): { name: string; lat: number; lng: number; population: number } {
  return { name: `City ${i}`, lat: -89 + (i % 179), lng: -179 + ((i * 13) % 359), population: 1000 + i };
}

/** A CSV file `name,lat,lng,population` of n valid rows (rows numbered from `start`). */
export function csv(n: number, start = 0): string {
  const lines = ['name,lat,lng,population'];
  for (let i = start; i < start + n; i++) {
    const r = csvRow(i);
    lines.push(`${r.name},${r.lat},${r.lng},${r.population}`);
  }
  return lines.join('\n') + '\n';
}

/** Every page of GET /api/locations for a query, following `next`; fails on a non-200. */
export async function allLocations(http: Http, query: Record<string, string | number> = {}, limit = 1000): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 10_000; page++) {
    const res: request.Response = await http.get('/api/locations').query({ ...query, limit, ...(cursor ? { cursor } : {}) });
    if (res.status !== 200) throw new Error(`GET /api/locations answered ${res.status}: ${JSON.stringify(res.body)}`);
    items.push(...res.body.items);
    cursor = res.body.next;
    if (cursor === null) return items;
  }
  throw new Error('GET /api/locations never ended');
}

/** Creates a dataset and returns its view (asserts 201). */
export async function createDataset(http: Http, body: Record<string, unknown> = {}): Promise<any> {
  const res = await http.post('/api/datasets').send({ name: 'Test dataset', ...body });
  if (res.status !== 201) throw new Error(`POST /api/datasets answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Every audit event matching a query, oldest first, following `next`. */
export async function allAudit(http: Http, query: Record<string, string | number> = {}): Promise<any[]> {
  const items: any[] = [];
  let after: string | null = null;
  for (let page = 0; page < 10_000; page++) {
    const res: request.Response = await http
      .get('/api/audit')
      .query({ order: 'asc', limit: 1000, ...query, ...(after ? { after } : {}) });
    if (res.status !== 200) throw new Error(`GET /api/audit answered ${res.status}: ${JSON.stringify(res.body)}`);
    items.push(...res.body.items);
    after = res.body.next;
    if (after === null) return items;
  }
  throw new Error('GET /api/audit never ended');
}
