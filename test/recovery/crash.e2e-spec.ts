import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ChildServer, killAllChildServers } from '../support/child-server';

/**
 * "All or nothing: a restore interrupted by a crash (kill -9 in the middle) leaves the data as it
 * was before, or, on start-up, is completed; never half." Proven with the real server in a child
 * process, killed with SIGKILL at moments spread over the whole restore (and import) job: before it
 * computes, while it computes, in the middle of the log's commit (the WAL being written), and after
 * the commit while the read models are catching up. Each kill works on a fresh copy of one prepared
 * DATA_DIR, so every run starts from the same log and the same signed preview.
 */

const ROWS = 150_000;
const MAX_LOCATIONS_PER_EVENT = 1000;
const CHUNKS = ROWS / MAX_LOCATIONS_PER_EVENT;

type Http = ReturnType<typeof request>;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function bigCsv(): string {
  const lines = ['name,lat,lng,quantity,country,rank,active'];
  for (let i = 0; i < ROWS; i++) {
    lines.push(`Place ${i},${(i % 170) - 85 + 0.25},${((i * 7) % 350) - 175 + 0.5},${i % 97},C${i % 13},${i},${i % 3 === 0}`);
  }
  return lines.join('\n') + '\n';
}

async function ok(res: Promise<request.Response> | request.Response, status: number, what: string): Promise<any> {
  const r = await res;
  if (r.status !== status) throw new Error(`${what} answered ${r.status} (expected ${status}): ${JSON.stringify(r.body)}`);
  return r.body;
}

async function waitForJob(http: Http, jobId: string, timeoutMs = 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await ok(http.get(`/api/jobs/${jobId}`), 200, 'GET job');
    if (['completed', 'failed', 'cancelled'].includes(job.state)) return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.state}/${job.phase}`);
    await sleep(20);
  }
}

/** Every audit event of a correlation id, oldest first. */
async function trailOf(http: Http, correlationId: string): Promise<any[]> {
  const items: any[] = [];
  let after: string | null = null;
  do {
    const page: any = await ok(http.get('/api/audit').query({ correlationId, order: 'asc', limit: 1000, ...(after ? { after } : {}) }), 200, 'GET audit');
    items.push(...page.items);
    after = page.next;
  } while (after);
  return items;
}

async function headOf(http: Http): Promise<number> {
  return (await ok(http.get('/api/audit').query({ limit: 1 }), 200, 'GET audit')).items[0]?.position ?? 0;
}

/**
 * Waits until the read models have caught up with the log, writing nothing: a settings patch that
 * changes nothing is decided on the read models only after they reach the head (read-your-writes),
 * and decides no event.
 */
async function readModelsCaughtUp(http: Http): Promise<void> {
  const head = await headOf(http);
  const settings = await ok(http.get('/api/settings'), 200, 'GET settings');
  await ok(http.patch('/api/settings').send({ theme: settings.theme }).timeout(60_000), 200, 'PATCH settings (no-op)');
  expect(await headOf(http)).toBe(head);
}

/** Size and mtime of a file ('-' when absent): changes when anything writes to it. */
const fileState = (path: string) => {
  if (!existsSync(path)) return '-';
  const s = statSync(path);
  return `${s.size}@${s.mtimeMs}`;
};

/** When to pull the plug, relative to the 202 of the job's start. */
interface Trigger {
  label: string;
  /** Called just before the job is started (to note the files' state); returns the wait. */
  arm(child: ChildServer): (jobId: string) => Promise<void>;
}

const afterMs = (ms: number): Trigger => ({ label: `${ms} ms after the 202`, arm: () => () => sleep(ms) });

/** Once GET /api/jobs/:id shows `phase` (polled every 5 ms), plus `ms`. */
const inPhase = (phase: string, ms: number): Trigger => ({
  label: `phase '${phase}' + ${ms} ms`,
  arm: (child) => async (jobId) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const job = (await child.http.get(`/api/jobs/${jobId}`)).body;
      if (job.phase === phase) break;
      if (['completed', 'failed'].includes(job.state)) throw new Error(`job ended (${job.state}) before phase ${phase}`);
      if (Date.now() > deadline) throw new Error(`phase ${phase} never seen`);
      await sleep(5);
    }
    await sleep(ms);
  },
});

/**
 * As soon as the log's WAL file changes (polled every millisecond): the job's single append is
 * committing, its frames being written; `ms` later it may be half-written or just committed.
 */
const logWalWritten = (ms: number): Trigger => ({
  label: `log WAL written + ${ms} ms`,
  arm: (child) => {
    const wal = join(child.dataDir, 'events.sqlite-wal');
    const initial = fileState(wal);
    return async () => {
      const deadline = Date.now() + 30_000;
      while (fileState(wal) === initial) {
        if (Date.now() > deadline) throw new Error('the log was never written');
        await sleep(1);
      }
      await sleep(ms);
    };
  },
});

/**
 * As soon as the log's main file changes: SQLite checkpoints the WAL into it right after a commit,
 * inside the same (synchronous) call, so the append is committed and the read models have not
 * applied any of it yet.
 */
const logCheckpointed = (ms: number): Trigger => ({
  label: `log checkpointed + ${ms} ms`,
  arm: (child) => {
    const file = join(child.dataDir, 'events.sqlite');
    const initial = fileState(file);
    return async () => {
      const deadline = Date.now() + 30_000;
      while (fileState(file) === initial) {
        if (Date.now() > deadline) throw new Error('the log was never checkpointed');
        await sleep(1);
      }
      await sleep(ms);
    };
  },
});

interface Outcome {
  trigger: string;
  killedAfterMs: number;
  outcome: 'before' | 'after';
  job: string;
  firstCountSeen: number | null;
}

describe('crash safety: kill -9 of the real server in the middle of a restore or an import (e2e, child process)', () => {
  const dirs: string[] = [];
  const csv = bigCsv();
  let base: {
    dir: string;
    token: string;
    restoredId: string;
    importTargetId: string;
    record: any;
    firstPage: any[];
    head: number;
  };

  const freshCopy = () => {
    const dir = mkdtempSync(join(tmpdir(), 'gv-crash-'));
    dirs.push(dir);
    cpSync(base.dir, dir, { recursive: true });
    return dir;
  };

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gv-crash-base-'));
    dirs.push(dir);
    const server = await ChildServer.start({ dataDir: dir });
    try {
      const http = server.http;
      const big = await ok(http.post('/api/datasets').send({ name: 'Big', description: '150k rows' }), 201, 'POST dataset');
      const imp = await ok(http.post(`/api/datasets/${big.id}/import`).query({ fileName: 'big.csv' }).set('Content-Type', 'text/csv').send(csv), 202, 'import');
      const job = await waitForJob(http, imp.jobId);
      expect({ state: job.state, written: job.result?.locationsWritten }).toEqual({ state: 'completed', written: ROWS });
      const record = await ok(http.get(`/api/datasets/${big.id}`), 200, 'GET dataset');
      expect(record.locationCount).toBe(ROWS);
      const firstPage = (await ok(http.get('/api/locations').query({ datasetId: big.id, limit: 1000 }), 200, 'GET locations')).items;

      await sleep(25);
      const T = new Date().toISOString();
      await sleep(25);
      await ok(http.delete(`/api/datasets/${big.id}`), 204, 'DELETE dataset');
      const target = await ok(http.post('/api/datasets').send({ name: 'Import target' }), 201, 'POST dataset');

      const pv = await ok(http.post('/api/restores/preview').send({ target: { at: T }, scope: { datasets: [big.id] } }), 200, 'preview');
      expect(pv.counts.locations).toEqual({ added: ROWS, changed: 0, removed: 0 });
      expect(pv.counts.datasets).toEqual({ added: 1, changed: 0, removed: 0 });
      base = { dir, token: pv.previewToken, restoredId: big.id, importTargetId: target.id, record, firstPage, head: pv.basePosition };
      expect(await headOf(http)).toBe(base.head);
    } finally {
      await server.stop();
    }
  }, 90_000);

  afterAll(async () => {
    await killAllChildServers();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it(
    'a restore killed at any moment is, after a restart, entirely absent or entirely there; never half',
    async () => {
      const triggers: Trigger[] = [
        afterMs(0), // while the pre-restore snapshot is taken
        inPhase('computing', 300),
        logWalWritten(0), // the commit's frames half-written
        logCheckpointed(0), // just committed, nothing projected yet: the restart must apply all of it
        inPhase('projecting', 0),
      ];
      const outcomes: Outcome[] = [];
      let retriedBefore = false;
      for (const trigger of triggers) {
        const dir = freshCopy();
        const child = await ChildServer.start({ dataDir: dir });
        const wait = trigger.arm(child);
        const t0 = Date.now();
        const started = await ok(child.http.post('/api/restores').send({ previewToken: base.token }), 202, 'POST /api/restores');
        await wait(started.jobId);
        const killedAfterMs = Date.now() - t0;
        const exit = await child.kill('SIGKILL');
        expect(exit.signal).toBe('SIGKILL');

        const again = await ChildServer.start({ dataDir: dir });
        try {
          const http = again.http;
          const firstSeen = (await ok(http.get('/api/datasets'), 200, 'GET datasets')).items.find((d: any) => d.id === base.restoredId);
          await readModelsCaughtUp(http);

          const trail = await trailOf(http, started.restoreId);
          const restores = (await ok(http.get('/api/restores'), 200, 'GET restores')).items;
          const job = await ok(http.get(`/api/jobs/${started.jobId}`), 200, 'GET job');
          const dataset = await http.get(`/api/datasets/${base.restoredId}`);
          const head = await headOf(http);
          const outcome: Outcome['outcome'] = trail.length === 0 ? 'before' : 'after';
          outcomes.push({ trigger: trigger.label, killedAfterMs, outcome, job: `${job.state}${job.error ? ` ${job.error.code}` : ''}`, firstCountSeen: firstSeen?.locationCount ?? null });

          if (outcome === 'before') {
            // nothing of the restore: not in the log, not in the read models, not listed
            expect(head).toBe(base.head);
            expect(restores).toEqual([]);
            expect({ status: dataset.status, code: dataset.body.code }).toEqual({ status: 404, code: 'DATASET.NOT_FOUND' });
            expect((await ok(http.get('/api/locations').query({ datasetId: base.restoredId, limit: 1 }), 200, 'GET locations')).items).toEqual([]);
          } else {
            // all of it: every event between the two markers, the read models holding every row
            expect(trail.map((e) => e.type)).toEqual([
              'RestorePointCreated',
              'RestoreStarted',
              'DatasetCreated',
              ...Array(CHUNKS).fill('LocationsAdded'),
              'RestoreCompleted',
            ]);
            expect(trail.filter((e) => e.type === 'LocationsAdded').reduce((n, e) => n + e.data.locations.length, 0)).toBe(ROWS);
            expect(trail.map((e) => e.position)).toEqual(trail.map((_, i) => base.head + 1 + i));
            expect(head).toBe(base.head + trail.length);
            expect(restores.map((r: any) => [r.id, r.counts?.locations])).toEqual([[started.restoreId, { added: ROWS, changed: 0, removed: 0 }]]);
            expect({ status: dataset.status, body: dataset.body }).toEqual({ status: 200, body: base.record });
            expect((await ok(http.get('/api/locations').query({ datasetId: base.restoredId, limit: 1000 }), 200, 'GET locations')).items).toEqual(base.firstPage);
          }
          // the job: completed only if it finished before the kill, otherwise reported interrupted
          if (job.state !== 'completed') {
            expect({ state: job.state, code: job.error?.code }).toEqual({ state: 'failed', code: 'JOB.INTERRUPTED' });
          } else {
            expect(outcome).toBe('after');
          }
          // no scratch state or staged file survives the restart
          expect(readdirSync(join(dir, 'tmp')).filter((f) => f.startsWith('state-') || f.startsWith('import-'))).toEqual([]);
          // and the service still works: the same preview is good exactly when nothing was written
          // (an interrupted restore is retried to completion once; that takes a few seconds)
          if (outcome === 'after') {
            const retry = await http.post('/api/restores').send({ previewToken: base.token });
            expect({ status: retry.status, code: retry.body.code }).toEqual({ status: 409, code: 'RESTORE.PREVIEW_STALE' });
          } else if (!retriedBefore) {
            retriedBefore = true;
            const retry = await ok(http.post('/api/restores').send({ previewToken: base.token }), 202, 'POST /api/restores (retry)');
            expect((await waitForJob(http, retry.jobId)).state).toBe('completed');
            expect((await ok(http.get(`/api/datasets/${base.restoredId}`), 200, 'GET dataset')).locationCount).toBe(ROWS);
          }
        } finally {
          await again.stop();
        }
        rmSync(dir, { recursive: true, force: true });
      }
      // eslint-disable-next-line no-console
      console.log(`restore kills (${ROWS} rows):\n${outcomes.map((o) => `  ${o.trigger.padEnd(28)} killed at ${String(o.killedAfterMs).padStart(5)} ms → ${o.outcome.padEnd(6)} job ${o.job}; first count read after restart: ${o.firstCountSeen}`).join('\n')}`);
      // the kills covered both sides of the commit (otherwise this test proved less than it says)
      expect(new Set(outcomes.map((o) => o.outcome))).toEqual(new Set(['before', 'after']));
    },
    180_000,
  );

  it(
    'after a restart, no read shows a half-restored dataset while the read models catch up with the committed restore',
    async () => {
      const dir = freshCopy();
      const child = await ChildServer.start({ dataDir: dir });
      const wait = logCheckpointed(0).arm(child);
      const started = await ok(child.http.post('/api/restores').send({ previewToken: base.token }), 202, 'POST /api/restores');
      await wait(started.jobId);
      await child.kill('SIGKILL');

      const again = await ChildServer.start({ dataDir: dir });
      try {
        // every answer from the first one on, until the dataset is whole
        const seen: (number | null)[] = [];
        const deadline = Date.now() + 20_000;
        for (;;) {
          const items = (await ok(again.http.get('/api/datasets'), 200, 'GET datasets')).items;
          const count = items.find((d: any) => d.id === base.restoredId)?.locationCount ?? null;
          if (seen[seen.length - 1] !== count) seen.push(count);
          if (count === ROWS || Date.now() > deadline) break;
          await sleep(5);
        }
        // the kill came after the commit: the restore is whole in the log
        const trail = await trailOf(again.http, started.restoreId);
        expect(trail[trail.length - 1]?.type).toBe('RestoreCompleted');
        expect(seen[seen.length - 1]).toBe(ROWS);
        // "never half": the dataset was either absent or complete in every answer
        expect(seen.filter((n) => n !== null && n !== ROWS)).toEqual([]);
      } finally {
        await again.stop();
      }
    },
    60_000,
  );

  it(
    'a kill while the pre-restore snapshot is being written leaves no temporary snapshot file behind after a restart',
    async () => {
      const dir = freshCopy();
      const child = await ChildServer.start({ dataDir: dir });
      const snapshots = join(dir, 'snapshots');
      const temporary = () => (existsSync(snapshots) ? readdirSync(snapshots).filter((f) => f.startsWith('.tmp-')) : []);
      expect(temporary()).toEqual([]);
      const started = await ok(child.http.post('/api/restores').send({ previewToken: base.token }), 202, 'POST /api/restores');
      const deadline = Date.now() + 20_000;
      while (temporary().length === 0) {
        if (Date.now() > deadline) throw new Error('no snapshot was being written');
        await sleep(1);
      }
      await child.kill('SIGKILL');
      expect(temporary().length).toBeGreaterThan(0);

      const again = await ChildServer.start({ dataDir: dir });
      try {
        expect(await trailOf(again.http, started.restoreId)).toEqual([]);
        const job = await ok(again.http.get(`/api/jobs/${started.jobId}`), 200, 'GET job');
        expect({ state: job.state, code: job.error?.code }).toEqual({ state: 'failed', code: 'JOB.INTERRUPTED' });
        // the half-written copy (a whole read-model database, uncompressed) must not stay on disk forever
        expect(temporary()).toEqual([]);
      } finally {
        await again.stop();
      }
    },
    60_000,
  );

  it(
    'an import killed while reading, while writing or while projecting leaves, after a restart, 0 rows or all of them',
    async () => {
      const triggers: Trigger[] = [inPhase('reading', 300), logWalWritten(0), inPhase('projecting', 0)];
      const outcomes: Outcome[] = [];
      for (const trigger of triggers) {
        const dir = freshCopy();
        const child = await ChildServer.start({ dataDir: dir });
        const wait = trigger.arm(child);
        const t0 = Date.now();
        const started = await ok(
          child.http.post(`/api/datasets/${base.importTargetId}/import`).query({ fileName: 'again.csv' }).set('Content-Type', 'text/csv').send(csv),
          202,
          'import',
        );
        await wait(started.jobId);
        const killedAfterMs = Date.now() - t0;
        await child.kill('SIGKILL');

        const again = await ChildServer.start({ dataDir: dir });
        try {
          const http = again.http;
          const firstSeen = (await ok(http.get(`/api/datasets/${base.importTargetId}`), 200, 'GET dataset')).locationCount;
          await readModelsCaughtUp(http);
          const dataset = await ok(http.get(`/api/datasets/${base.importTargetId}`), 200, 'GET dataset');
          const trail = await trailOf(http, started.jobId);
          const job = await ok(http.get(`/api/jobs/${started.jobId}`), 200, 'GET job');
          const outcome: Outcome['outcome'] = trail.length === 0 ? 'before' : 'after';
          outcomes.push({ trigger: trigger.label, killedAfterMs, outcome, job: `${job.state}${job.error ? ` ${job.error.code}` : ''}`, firstCountSeen: firstSeen });
          if (outcome === 'before') {
            expect(dataset.locationCount).toBe(0);
            expect(dataset.source).toBeNull();
            expect(await headOf(http)).toBe(base.head);
          } else {
            expect(dataset.locationCount).toBe(ROWS);
            expect(dataset.source).toEqual({ fileName: 'again.csv', format: 'csv' });
            const types = trail.map((e) => e.type);
            expect(types.filter((t) => t === 'LocationsAdded')).toHaveLength(CHUNKS);
            expect(types[types.length - 1]).toBe('DatasetImported');
            expect(trail.map((e) => e.position)).toEqual(trail.map((_, i) => base.head + 1 + i));
          }
          if (job.state !== 'completed') expect({ state: job.state, code: job.error?.code }).toEqual({ state: 'failed', code: 'JOB.INTERRUPTED' });
          expect(readdirSync(join(dir, 'tmp')).filter((f) => f.startsWith('import-'))).toEqual([]);
        } finally {
          await again.stop();
        }
        rmSync(dir, { recursive: true, force: true });
      }
      // eslint-disable-next-line no-console
      console.log(`import kills (${ROWS} rows):\n${outcomes.map((o) => `  ${o.trigger.padEnd(28)} killed at ${String(o.killedAfterMs).padStart(5)} ms → ${o.outcome.padEnd(6)} job ${o.job}; first count read after restart: ${o.firstCountSeen}`).join('\n')}`);
      expect(new Set(outcomes.map((o) => o.outcome))).toEqual(new Set(['before', 'after']));
    },
    120_000,
  );
});
