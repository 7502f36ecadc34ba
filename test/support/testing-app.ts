import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../src/app.module';
import { Clock } from '../../src/common/clock';
import { JobView } from '../../src/jobs/job';
import { JobRunner } from '../../src/jobs/job-runner';
import { tempDir } from './event-fixtures';

export interface TestingApp {
  app: INestApplication;
  dataDir: string;
  close(): Promise<void>;
  /** Resolves with the job once it reached a final state. */
  finished(jobId: string, timeoutMs?: number): Promise<JobView>;
}

/** The whole application in-process (no HTTP server) on a fresh DATA_DIR, with the clock a test controls. */
export async function startTestingApp(clock: Clock, dataDir?: string): Promise<TestingApp> {
  const dir = dataDir ? null : tempDir('gv-app-');
  process.env.DATA_DIR = dataDir ?? dir!.dir;
  process.env.LOG_LEVEL = 'error';
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).overrideProvider(Clock).useValue(clock).compile();
  const app = moduleRef.createNestApplication({ bodyParser: false, logger: ['error'] });
  await app.init();
  return {
    app,
    dataDir: process.env.DATA_DIR,
    async close() {
      await app.close();
      dir?.cleanup();
    },
    async finished(jobId, timeoutMs = 60_000) {
      const jobs = app.get(JobRunner);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const job = await jobs.get(jobId);
        if (['completed', 'failed', 'cancelled'].includes(job.state)) return job;
        if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.state} after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}
