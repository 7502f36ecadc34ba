import type { ExpectedRevision } from '../event-store';
import type { EventRow } from './event-row';
import type { WriterFailure, WriterReply, WriterRequest, WriterSetup } from './log-writer-protocol';

/**
 * The body of the log writer thread. It runs as the SOURCE TEXT of a worker (`fn.toString()`,
 * evaluated there), so that the same code works from TypeScript under jest or swc-node and from the
 * compiled dist/ alike: it must use only its own locals, globals and `require`, never anything
 * imported into this module (only types are, and they vanish when compiled).
 *
 * Why a thread: an append is validated and serialized on the main thread while this one inserts
 * the previous batch into SQLite, so the two halves of the work overlap on two cores; and the main
 * thread's event loop keeps answering while a large append (an import, a restore) is written.
 * It owns the only connection that appends; its transactions are BEGIN IMMEDIATE, so positions stay
 * gap-free and recorded_at monotonic across threads and processes alike.
 */
export function logWriterThread(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parentPort, workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  const setup = workerData as WriterSetup;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Database = require(setup.driver) as typeof import('better-sqlite3');
  const db = new Database(setup.file);
  for (const pragma of setup.pragmas) db.pragma(pragma);
  const insert = db.prepare(setup.insertSql);
  const head = db.prepare<[], { p: number | null }>('SELECT max(position) AS p FROM events');
  const streamRevision = db.prepare<[string], { r: number | null }>('SELECT max(revision) AS r FROM events WHERE stream = ?');
  const lastRecordedAt = db.prepare<[], { t: number }>('SELECT recorded_at AS t FROM events ORDER BY position DESC LIMIT 1');
  const byEventId = db.prepare<[string], EventRow>(`SELECT ${setup.eventColumns} FROM events WHERE event_id = ?`);

  /** The open transaction: what it appends to, and the first refusal, after which its rows are ignored. */
  let tx: { stream: string; revision: number; recordedAt: number; first: number; last: number; failure: WriterFailure | null } | null = null;

  const reply = (message: WriterReply) => parentPort!.postMessage(message);
  const rollback = () => {
    if (db.inTransaction) db.exec('ROLLBACK');
    tx = null;
  };
  const sqliteFailure = (error: unknown): WriterFailure => {
    const { code, message } = error as { code?: string; message?: string };
    return { kind: 'sqlite', code: code ?? null, message: message ?? String(error) };
  };
  const checkRevision = (stream: string, expected: ExpectedRevision, actual: number): WriterFailure | null => {
    if (expected === 'any') return null;
    const want = expected === 'no_stream' ? -1 : expected;
    return want === actual ? null : { kind: 'wrong-revision', stream, expected, actual };
  };

  const begin = (m: Extract<WriterRequest, { op: 'begin' }>) => {
    rollback(); // a transaction the main thread gave up on without a word (it cannot happen, but never leak one)
    db.exec('BEGIN IMMEDIATE');
    const position = head.get()?.p ?? 0;
    const revision = streamRevision.get(m.stream)?.r ?? -1;
    const recordedAt = Math.max(m.now, lastRecordedAt.get()?.t ?? 0);
    tx = { stream: m.stream, revision, recordedAt, first: 0, last: 0, failure: null };
    if (m.expectedHead !== null && position !== m.expectedHead) {
      tx.failure = { kind: 'head-moved', expected: m.expectedHead, actual: position };
      return;
    }
    const replay = m.firstEventId === null ? undefined : byEventId.get(m.firstEventId);
    if (replay) tx.failure = { kind: 'replay', row: replay };
    else tx.failure = checkRevision(m.stream, m.expected, revision);
  };

  const rows = (m: Extract<WriterRequest, { op: 'rows' }>) => {
    if (!tx || tx.failure) return;
    const t = tx;
    let i = 0;
    let eventId = '';
    try {
      for (let idStart = 0, dataStart = 0; i < m.dataEnds.length; i++) {
        eventId = m.eventIds.slice(idStart, m.eventIdEnds[i]);
        const [type, schemaVersion, metadata] = m.kinds[m.kindOf[i]];
        t.revision += 1;
        const result = insert.run(eventId, t.stream, t.revision, type, schemaVersion, m.data.slice(dataStart, m.dataEnds[i]), metadata, t.recordedAt);
        t.last = Number(result.lastInsertRowid);
        if (t.first === 0) t.first = t.last;
        idStart = m.eventIdEnds[i];
        dataStart = m.dataEnds[i];
      }
    } catch (error) {
      const { code, message } = error as { code?: string; message?: string };
      t.failure =
        code === 'SQLITE_CONSTRAINT_UNIQUE' && /events\.event_id/.test(message ?? '')
          ? { kind: 'duplicate-event-id', eventId }
          : sqliteFailure(error);
    }
  };

  const commit = (id: number) => {
    const t = tx;
    if (!t) return reply({ id, ok: false, failure: { kind: 'sqlite', code: null, message: 'commit without a transaction' } });
    if (t.failure) {
      rollback();
      return reply({ id, ok: false, failure: t.failure });
    }
    db.exec('COMMIT');
    tx = null;
    reply({ id, ok: true, firstPosition: t.first, lastPosition: t.last, nextExpectedRevision: t.revision, recordedAt: t.recordedAt });
  };

  /**
   * Copies a staged history into the log in one IMMEDIATE transaction, refusing (nothing copied) if
   * the log is not empty by then. Here rather than on the main thread: a million locations' history
   * is ~450 MB of rows, and copying it there held the API for 0.8 s.
   */
  const adopt = (m: Extract<WriterRequest, { op: 'adopt' }>) => {
    rollback();
    db.prepare('ATTACH DATABASE ? AS staging').run(m.stagingPath);
    try {
      db.exec('BEGIN IMMEDIATE');
      const position = head.get()?.p ?? 0;
      if (position !== 0) {
        rollback();
        return reply({ id: m.id, ok: false, failure: { kind: 'log-not-empty', head: position } });
      }
      const copied = db.prepare(`INSERT INTO main.events (${setup.eventColumns}) SELECT ${setup.eventColumns} FROM staging.events ORDER BY position`).run().changes;
      db.exec('COMMIT');
      reply({ id: m.id, ok: true, firstPosition: copied > 0 ? 1 : 0, lastPosition: head.get()?.p ?? 0, nextExpectedRevision: 0, recordedAt: 0, adopted: copied });
    } finally {
      rollback();
      db.exec('DETACH DATABASE staging');
    }
  };

  parentPort!.on('message', (m: WriterRequest) => {
    try {
      switch (m.op) {
        case 'begin':
          return begin(m);
        case 'rows':
          rows(m);
          if (m.ack !== null) reply({ id: m.ack, ok: true, firstPosition: 0, lastPosition: 0, nextExpectedRevision: 0, recordedAt: 0 });
          return;
        case 'commit':
          return commit(m.id);
        case 'adopt':
          return adopt(m);
        case 'rollback':
          rollback();
          return reply({ id: m.id, ok: true, firstPosition: 0, lastPosition: 0, nextExpectedRevision: 0, recordedAt: 0 });
        case 'close':
          rollback();
          db.close();
          reply({ id: m.id, ok: true, firstPosition: 0, lastPosition: 0, nextExpectedRevision: 0, recordedAt: 0 });
          parentPort!.close();
          return;
      }
    } catch (error) {
      // BEGIN IMMEDIATE timed out on a busy file, the disk is full, …: the transaction is abandoned
      // and the failure answered at its next answered message.
      const failure = sqliteFailure(error);
      try {
        rollback();
      } catch {
        // the connection is already out of its transaction
      }
      tx = { stream: '', revision: 0, recordedAt: 0, first: 0, last: 0, failure };
      if (m.op === 'commit' || m.op === 'rollback' || m.op === 'adopt' || m.op === 'close') reply({ id: m.id, ok: false, failure });
    }
  });
}
