import Database from 'better-sqlite3';
import { join } from 'node:path';
import { ManualClock } from '../../common/clock';
import { asAsync, collect, location, locationsAdded, settingsChanged, tempDir } from '../../../test/support/event-fixtures';
import { GENESIS_HASH, eventChainHasher } from '../event-chain';
import { RecordedEvent } from '../event-store';
import { SqliteEventStore } from './sqlite-event-store';
import { HistoryStage } from './stage-history';

/** The log's table as it was before the hash chain (commit a974634). */
const PRE_CHAIN_SCHEMA = `
CREATE TABLE events (
  position INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, stream TEXT NOT NULL, revision INTEGER NOT NULL,
  type TEXT NOT NULL, schema_version INTEGER NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, recorded_at INTEGER NOT NULL,
  UNIQUE (stream, revision)
);`;

describe('the log hash chain (SQLite)', () => {
  let dir: ReturnType<typeof tempDir>;
  let clock: ManualClock;
  let store: SqliteEventStore;
  const file = () => join(dir.dir, 'events.sqlite');
  const raw = () => new Database(file());
  const hashes = () => raw().prepare('SELECT hash FROM events ORDER BY position').pluck().all() as string[];

  beforeEach(() => {
    dir = tempDir();
    clock = new ManualClock('2026-03-01T10:00:00.000Z');
  });
  afterEach(async () => {
    await store?.close();
    dir.cleanup();
  });

  async function appendSome(s: SqliteEventStore, n: number, tag = 'a'): Promise<void> {
    for (let i = 0; i < n; i++) {
      await s.append(`dataset-${tag}${i % 3}`, [locationsAdded(`${tag}${i % 3}`, [location(`${tag}-${i}`)]), settingsChanged({ theme: i % 2 ? 'dark' : 'light' })]);
      clock.advance(1000);
    }
  }

  it('chains every append to the one before, across restarts and a second store on the same file (its own writer connection, as another process has)', async () => {
    store = new SqliteEventStore(file(), clock);
    await appendSome(store, 5);
    const other = new SqliteEventStore(file(), clock);
    await appendSome(other, 3, 'b');
    await appendSome(store, 2, 'c');
    await other.close();
    await store.close();
    store = new SqliteEventStore(file(), clock);
    await appendSome(store, 2, 'd');
    const report = await store.verifyChain();
    expect(report).toEqual({ ok: true, verifiedFrom: 1, verifiedThrough: 24, headHash: hashes()[23] });
    expect(await store.chainHeadAt(24)).toEqual({ position: 24, hash: hashes()[23] });
    expect(await store.chainHeadAt(0)).toEqual({ position: 0, hash: GENESIS_HASH });
    expect(await store.chainHeadAt(25)).toBeNull();
    // Recomputed here from the rows alone, with the published encoding.
    const hash = eventChainHasher().hash;
    let previous = GENESIS_HASH;
    for (const row of raw().prepare('SELECT * FROM events ORDER BY position').all() as Array<Record<string, never>>) {
      previous = hash(previous, { position: row.position, eventId: row.event_id, stream: row.stream, revision: row.revision, type: row.type, schemaVersion: row.schema_version, data: row.data, metadata: row.metadata, recordedAt: row.recorded_at });
      expect(row.hash).toBe(previous);
    }
  });

  it.each([
    ['an edited event', (db: Database.Database) => db.prepare(`UPDATE events SET data = replace(data, 'a-3', 'a-9') WHERE position = 7`).run(), 7],
    ['an edited event whose hash was recomputed too', (db: Database.Database) => {
      db.prepare(`UPDATE events SET metadata = replace(metadata, 'tester', 'mallory') WHERE position = 7`).run();
      db.prepare(`UPDATE events SET hash = '${'ab'.repeat(32)}' WHERE position = 7`).run();
    }, 7],
    ['a deleted event', (db: Database.Database) => db.prepare('DELETE FROM events WHERE position = 5').run(), 5],
    ['two events whose data were swapped', (db: Database.Database) => {
      const [a, b] = db.prepare('SELECT data FROM events WHERE position IN (3, 9) ORDER BY position').pluck().all();
      db.prepare('UPDATE events SET data = ? WHERE position = 3').run(b);
      db.prepare('UPDATE events SET data = ? WHERE position = 9').run(a);
    }, 3],
  ])('reports %s at its position', async (_what, tamper, position) => {
    store = new SqliteEventStore(file(), clock);
    await appendSome(store, 6);
    const db = raw();
    tamper(db);
    db.close();
    const report = await store.verifyChain();
    expect(report).toMatchObject({ ok: false, verifiedFrom: 1, verifiedThrough: position - 1, firstBrokenPosition: position });
    expect(report.headHash).toBe(hashes()[position - 2]);
  });

  it('sees events cut from the end only through a witness (a snapshot recorded a head past the end)', async () => {
    store = new SqliteEventStore(file(), clock);
    await appendSome(store, 3);
    const head = await store.chainHeadAt(6);
    raw().prepare('DELETE FROM events WHERE position = 6').run();
    expect((await store.verifyChain()).ok).toBe(true);
    const report = await store.verifyChain({ witnesses: [{ ...head!, source: 'snapshot s1' }] });
    expect(report).toMatchObject({ ok: false, firstBrokenPosition: 6, verifiedThrough: 5 });
    expect(report.reason).toMatch(/snapshot s1/);
  });

  it('gives a pre-chain log its chain at start-up, resumes an interrupted migration, and continues the chain', async () => {
    store = new SqliteEventStore(file(), clock);
    await appendSome(store, 40);
    await store.close();
    const expected = hashes();
    // The same rows in a log of the old schema.
    const oldFile = join(dir.dir, 'old.sqlite');
    const old = new Database(oldFile);
    old.exec(PRE_CHAIN_SCHEMA);
    old.exec(`ATTACH '${file()}' AS src; INSERT INTO events SELECT position, event_id, stream, revision, type, schema_version, data, metadata, recorded_at FROM src.events; DETACH src;`);
    old.close();
    store = new SqliteEventStore(oldFile, clock);
    expect(store.chainMigrated).toBe(80);
    const migrated = new Database(oldFile).prepare('SELECT hash FROM events ORDER BY position').pluck().all();
    expect(migrated).toEqual(expected);
    await store.close();
    // A crash half-way leaves a hashed prefix: the next start hashes the rest, and only the rest.
    new Database(oldFile).prepare('UPDATE events SET hash = NULL WHERE position > 33').run();
    store = new SqliteEventStore(oldFile, clock);
    expect(store.chainMigrated).toBe(47);
    expect(new Database(oldFile).prepare('SELECT hash FROM events ORDER BY position').pluck().all()).toEqual(expected);
    await appendSome(store, 2, 'z');
    expect(await store.verifyChain()).toMatchObject({ ok: true, verifiedThrough: 84 });
    await store.close();
    store = new SqliteEventStore(oldFile, clock);
    expect(store.chainMigrated).toBe(0);
  });

  it('verifies a compacted log from its chain base, which must agree with the base snapshot', async () => {
    store = new SqliteEventStore(file(), clock);
    await appendSome(store, 5);
    const base = await store.chainHeadAt(4);
    expect(await store.removeUpTo(4)).toBe(4);
    expect(await store.chainHeadAt(4)).toEqual(base);
    await appendSome(store, 1, 'x');
    expect(await store.verifyChain({ witnesses: [{ ...base!, source: 'snapshot base' }] })).toMatchObject({ ok: true, verifiedFrom: 5, verifiedThrough: 12 });
    const wrong = await store.verifyChain({ witnesses: [{ position: 4, hash: 'cd'.repeat(32), source: 'snapshot base' }] });
    expect(wrong).toMatchObject({ ok: false, firstBrokenPosition: 5, verifiedThrough: 4 });
    raw().prepare('DELETE FROM events_chain_base').run();
    expect(await store.verifyChain()).toMatchObject({ ok: false, firstBrokenPosition: 5 });
  });

  it('migrates a log compacted before the chain from genesis at its first remaining event', async () => {
    const old = new Database(file());
    old.exec(PRE_CHAIN_SCHEMA);
    old.close();
    store = new SqliteEventStore(file(), clock);
    await appendSome(store, 4);
    await store.close();
    const db = raw();
    db.exec('DELETE FROM events WHERE position <= 3; UPDATE events SET hash = NULL; DROP TABLE events_chain_base;');
    db.close();
    store = new SqliteEventStore(file(), clock);
    expect(store.chainMigrated).toBe(5);
    expect(await store.chainHeadAt(3)).toEqual({ position: 3, hash: GENESIS_HASH });
    expect(await store.verifyChain()).toMatchObject({ ok: true, verifiedFrom: 4, verifiedThrough: 8 });
  });

  it('adopts a history with its chain, and refuses one whose carried hashes do not match its events', async () => {
    store = new SqliteEventStore(file(), clock);
    await appendSome(store, 4);
    const events = await collect(store.readAll());
    const carried = hashes();
    await store.close();
    const withHashes = events.map((e, i) => ({ ...e, hash: carried[i] }));

    store = new SqliteEventStore(join(dir.dir, 'adopted.sqlite'), clock);
    expect(await store.adoptHistory(asAsync(withHashes as RecordedEvent[]))).toBe(8);
    expect(new Database(join(dir.dir, 'adopted.sqlite')).prepare('SELECT hash FROM events ORDER BY position').pluck().all()).toEqual(carried);
    await appendSome(store, 1, 'after');
    expect(await store.verifyChain()).toMatchObject({ ok: true, verifiedThrough: 10 });
    await store.close();

    store = new SqliteEventStore(join(dir.dir, 'refused.sqlite'), clock);
    const edited = withHashes.map((e) => (e.position === 6 ? { ...e, metadata: { ...e.metadata, actor: 'mallory' } } : e));
    await expect(store.adoptHistory(asAsync(edited as RecordedEvent[]))).rejects.toMatchObject({ code: 'EVENTS.CHAIN_MISMATCH', details: { position: 6 } });
    expect(await store.headPosition()).toBe(0);
    // A staged history without hashes (an older backup) gets its chain computed.
    const staged = join(dir.dir, 'staged.sqlite');
    const stage = new HistoryStage(staged);
    for (const e of events) stage.add(e);
    stage.finish();
    stage.close();
    expect(await store.adoptStagedHistory(staged)).toBe(8);
    expect(new Database(join(dir.dir, 'refused.sqlite')).prepare('SELECT hash FROM events ORDER BY position').pluck().all()).toEqual(carried);
  });
});
