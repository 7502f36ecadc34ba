import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../../src/create-app';
import { JobRunner } from '../../../src/jobs/job-runner';

export interface TestInstance {
  app: NestExpressApplication;
  /** `http://127.0.0.1:<port>`, for HTTP calls and for the progress client. */
  url: string;
  runner: JobRunner;
  close(): Promise<void>;
}

export interface InstanceOptions {
  /** Extra environment for this instance only (e.g. REDIS_URL); read once, while the app is created. */
  env?: Record<string, string>;
  /** Passed to createApp, e.g. to install a Socket.IO adapter. */
  configure?: (app: INestApplication) => void;
}

/**
 * A whole app on a loopback port with a fresh DATA_DIR. The configuration is read from process.env
 * while the app is created, so the variables are set just for that and restored afterwards.
 */
export async function startInstance(options: InstanceOptions = {}): Promise<TestInstance> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gv-gateway-'));
  const env = { DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...options.env };
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  let app: NestExpressApplication;
  try {
    app = await createApp(options.configure);
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  try {
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    app,
    url: await app.getUrl(),
    runner: app.get(JobRunner),
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
