import type { ExpectedRevision } from '../event-store';
import type { ChainHasher } from '../event-chain';
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
 *
 * It also extends the hash chain (events/event-chain.ts): each row's hash is computed here, where
 * its position is assigned, from the previous row's. The previous hash is read with the head inside
 * the IMMEDIATE transaction (one query, the one that read the head already), never kept across
 * transactions: another process may have appended since, and its hash is then the one to chain to.
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
  const lastRow = db.prepare<[], { p: number; t: number; h: string | null }>('SELECT position AS p, recorded_at AS t, hash AS h FROM events ORDER BY position DESC LIMIT 1');
  const streamRevision = db.prepare<[string], { r: number | null }>('SELECT max(revision) AS r FROM events WHERE stream = ?');
  const chain = new Function('require', `return (${setup.chainHasherSource})`)(require)() as ChainHasher;
  const genesis = '0'.repeat(64);
  const byEventId = db.prepare<[string], EventRow>(`SELECT ${setup.eventColumns} FROM events WHERE event_id = ?`);

  /**
   * The open transaction: what it appends to, the last position written and its chain hash, and the
   * first refusal, after which its rows are ignored.
   */
  type Tx = { stream: string; revision: number; recordedAt: number; first: number; last: number; hash: string; failure: WriterFailure | null };
  let tx: Tx | null = null;

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
    const last = lastRow.get();
    const position = last?.p ?? 0;
    const revision = streamRevision.get(m.stream)?.r ?? -1;
    const recordedAt = Math.max(m.now, last?.t ?? 0);
    tx = { stream: m.stream, revision, recordedAt, first: 0, last: position, hash: genesis, failure: null };
    if (last && last.h === null) {
      tx.failure = { kind: 'sqlite', code: 'CHAIN_UNMIGRATED', message: `the event at position ${position} has no chain hash (written by an older version of the app?)` };
      return;
    }
    if (last) tx.hash = last.h!;
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
      // What the batch's rows share, built and measured once (the stream and time are the transaction's).
      const tails = m.kinds.map(([type, schemaVersion, metadata]) => chain.tail(t.stream, schemaVersion, t.recordedAt, type, metadata));
      for (let idStart = 0, dataStart = 0; i < m.dataEnds.length; i++) {
        eventId = m.eventIds.slice(idStart, m.eventIdEnds[i]);
        const [type, schemaVersion, metadata] = m.kinds[m.kindOf[i]];
        const data = m.data.slice(dataStart, m.dataEnds[i]);
        const position = t.last + 1;
        const revision = t.revision + 1;
        const hash = chain.link(t.hash, position, revision, eventId, tails[m.kindOf[i]], data);
        insert.run(position, eventId, t.stream, revision, type, schemaVersion, data, metadata, t.recordedAt, hash);
        t.last = position;
        t.revision = revision;
        t.hash = hash;
        if (t.first === 0) t.first = position;
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
    reply({ id, ok: true, firstPosition: t.first, lastPosition: t.first === 0 ? 0 : t.last, nextExpectedRevision: t.revision, recordedAt: t.recordedAt });
  };

  /**
   * Copies a staged history into the log in one IMMEDIATE transaction, refusing (nothing copied) if
   * the log's head is not the one the history continues (`after`, 0 for an empty log) by then; the
   * chain goes on from the head's hash, and must end on `chainHead` when one is given. Here rather than on the main thread: a million locations' history
   * is ~450 MB of rows, and copying it there held the API for 0.8 s. The chain is computed again
   * over the rows as they will be stored; where the history carried a hash (a backup's event lines
   * do), it must be that one, or nothing is adopted (`chain-mismatch` at the first position that
   * differs): the adopted log keeps its chain, and a history edited since it was hashed is refused.
   */
  const adopt = (m: Extract<WriterRequest, { op: 'adopt' }>) => {
    rollback();
    db.prepare('ATTACH DATABASE ? AS staging').run(m.stagingPath);
    try {
      db.exec('BEGIN IMMEDIATE');
      const last = lastRow.get();
      const position = last?.p ?? 0;
      if (position !== m.after) {
        rollback();
        const failure: WriterFailure = m.after === 0 ? { kind: 'log-not-empty', head: position } : { kind: 'head-moved', expected: m.after, actual: position };
        return reply({ id: m.id, ok: false, failure });
      }
      const staged = db.prepare<[number], EventRow & { hash: string | null }>(`SELECT ${setup.eventColumns}, hash FROM staging.events WHERE position > ? ORDER BY position LIMIT 1000`);
      let previous = last?.h ?? genesis;
      let copied = m.after;
      for (;;) {
        // A page at a time (the connection cannot insert while it iterates), at most ~4 MB of rows.
        const page: Array<EventRow & { hash: string | null }> = [];
        let chars = 0;
        for (const r of staged.iterate(copied)) {
          page.push(r);
          if ((chars += r.data.length) >= 4 * 1024 * 1024) break;
        }
        if (page.length === 0) break;
        for (const r of page) {
          previous = chain.hash(previous, { position: r.position, eventId: r.event_id, stream: r.stream, revision: r.revision, type: r.type, schemaVersion: r.schema_version, data: r.data, metadata: r.metadata, recordedAt: r.recorded_at });
          const hash = previous;
          if (r.hash !== null && r.hash !== hash) {
            rollback();
            return reply({ id: m.id, ok: false, failure: { kind: 'chain-mismatch', position: r.position } });
          }
          insert.run(r.position, r.event_id, r.stream, r.revision, r.type, r.schema_version, r.data, r.metadata, r.recorded_at, hash);
          copied = r.position;
        }
      }
      if (m.chainHead !== null && copied > m.after && previous !== m.chainHead) {
        rollback();
        return reply({ id: m.id, ok: false, failure: { kind: 'chain-mismatch', position: copied } });
      }
      db.exec('COMMIT');
      reply({ id: m.id, ok: true, firstPosition: copied > m.after ? m.after + 1 : 0, lastPosition: lastRow.get()?.p ?? 0, nextExpectedRevision: 0, recordedAt: 0, adopted: copied - m.after });
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
      tx = { stream: '', revision: 0, recordedAt: 0, first: 0, last: 0, hash: genesis, failure };
      if (m.op === 'commit' || m.op === 'rollback' || m.op === 'adopt' || m.op === 'close') reply({ id: m.id, ok: false, failure });
    }
  });
}
