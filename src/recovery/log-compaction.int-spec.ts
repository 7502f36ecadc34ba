import { ManualClock } from '../common/clock';
import { evolve } from '../domain/evolve';
import { emptyGlobeState } from '../domain/globe-state';
import { EventStore } from '../events/event-store';
import { Projector } from '../projections/projector';
import { BackupScheduler } from '../backups/writing/backup-scheduler';
import { BackupService } from '../backups/catalog/backup.service';
import { DEFAULT_BACKUP_SCHEDULES } from '../domain/backup-schedule';
import { READ_MODEL_DB, rawConnection } from '../projections/sqlite/read-model-db';
import { collect, testMetadata } from '../../test/support/event-fixtures';
import { globeStepArb, stepEvents } from '../../test/support/globe-arbitraries';
import { dumpTables, stateAsRows } from '../../test/support/state-rows';
import { TestingApp, startTestingApp } from '../../test/support/testing-app';
import { LogCompaction } from './log-compaction';
import { StateAtService } from './state-at.service';
import fc from 'fast-check';
import Database from 'better-sqlite3';
import { RebuildController } from './rebuild.controller';

const DAY = 24 * 3600_000;

describe('opt-in log compaction', () => {
  const clock = new ManualClock('2026-01-01T00:00:00.000Z');
  let t: TestingApp;
  afterEach(() => t?.close());

  async function history(days: number) {
    const store = t.app.get(EventStore);
    const state = emptyGlobeState();
    const steps = fc.sample(fc.array(globeStepArb, { minLength: 40, maxLength: 40 }), { numRuns: 1, seed: 42 })[0];
    for (const [i, step] of steps.entries()) {
      clock.advance(Math.floor((days * DAY) / steps.length));
      const events = stepEvents(state, step);
      if (events.length) await store.append(`s-${i % 3}`, events.map((e) => ({ ...e, metadata: testMetadata() })));
    }
    await t.app.get(Projector).waitFor(await store.headPosition());
  }

  it('refuses while off, and without a verified backup holding the history', async () => {
    t = await startTestingApp(clock);
    await history(100);
    await expect(t.app.get(LogCompaction).start('tester', 'api')).rejects.toMatchObject({ code: 'LOG_COMPACTION.DISABLED', status: 409 });
    const scheduler = t.app.get(BackupScheduler);
    await scheduler.replace({ ...DEFAULT_BACKUP_SCHEDULES, logCompaction: { enabled: true, olderThanDays: 30, cron: '45 3 * * *' } }, testMetadata());
    const job = await t.app.get(LogCompaction).start('tester', 'api');
    expect(await t.finished(job.id)).toMatchObject({ state: 'failed', error: { code: 'LOG_COMPACTION.NO_COVERING_BACKUP' } });
    expect(await t.app.get(EventStore).firstPosition()).toBe(1);
  });

  it('removes old events only once a backup holds them; states after the cut, rebuilds and the audit trail stay right', async () => {
    t = await startTestingApp(clock);
    await history(100);
    const store = t.app.get(EventStore);
    const fullLog = await collect(store.readAll());
    const scheduler = t.app.get(BackupScheduler);
    await scheduler.replace({ ...DEFAULT_BACKUP_SCHEDULES, logCompaction: { enabled: true, olderThanDays: 30, cron: '45 3 * * *' } }, testMetadata());
    const backup = await t.app.get(BackupService).start({ kind: 'manual', compression: 'gzip', includeHistory: true, actor: 'tester' });
    expect((await t.finished(backup.jobId)).state).toBe('completed');

    const expectedCut = await store.positionAt(new Date(clock.now() - 30 * DAY));
    const job = await t.app.get(LogCompaction).start('tester', 'api');
    const done = await t.finished(job.id);
    expect(done.state).toBe('completed');
    const cut = (done.result as { upToPosition: number }).upToPosition;
    expect(cut).toBe(expectedCut);
    expect(cut).toBeGreaterThan(1);
    expect(await store.firstPosition()).toBe(cut + 1);
    expect((await collect(store.readAll())).every((e) => e.position > cut)).toBe(true);

    const fold = (upTo: number) => {
      const s = emptyGlobeState();
      for (const e of fullLog) if (e.position <= upTo) evolve(s, e);
      return stateAsRows(s);
    };
    const states = t.app.get(StateAtService);
    states.clear();
    for (const position of [cut, cut + 1, fullLog[fullLog.length - 1].position]) {
      expect(await states.use(position, (s) => dumpTables(rawConnection(s.dataSource)))).toEqual(fold(position));
    }
    await expect(states.use(cut - 1, () => null)).rejects.toMatchObject({ code: 'HISTORY.COMPACTED', status: 410, details: { backup: { id: backup.backupId } } });

    // A rebuild of the read models starts from the base snapshot and ends where the live ones are.
    const live = t.app.get<Database.Database>(READ_MODEL_DB);
    const before = dumpTables(live);
    const rebuild = await t.app.get(RebuildController).rebuild({ actor: 'tester', source: 'api', correlationId: 'c' });
    expect((await t.finished(rebuild.jobId)).state).toBe('completed');
    expect(dumpTables(live)).toEqual(before);
    expect(before).toEqual(fold(fullLog[fullLog.length - 1].position));

    // The audit trail says where the older history lives.
    const [compacted] = await store.query({ types: ['LogCompacted'], direction: 'backward', limit: 1 });
    expect(compacted.data).toMatchObject({ upToPosition: cut, eventsRemoved: cut, backup: { id: backup.backupId } });
  });
});
