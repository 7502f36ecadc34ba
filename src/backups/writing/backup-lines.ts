import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { EventStore } from '../../events/event-store';
import { storedEventLines } from '../../events/sqlite/stored-event-lines';
import { StateReader } from '../../projections/state-reader';
import { BackupRecord, RecordLines } from '../format/backup-record';

const YIELD_EVERY = 2000;

/**
 * Where a backup's history comes from: the embedded log's SQLite file, its rows copied into the
 * backup as stored (no parse, no re-serialization: the writer's check thread reads every line as a
 * reader will), or any EventStore through `readAll`.
 */
export type HistorySource = { logFile: string } | { store: EventStore };

/**
 * What a native backup holds, in file order: the state `reader` reads (locations as lines made from
 * their rows), then the events up to its position when a history source is given. The event loop
 * is yielded to every YIELD_EVERY events, `signal` checked then.
 */
export async function* backupLines(reader: StateReader, history: HistorySource | null, signal?: AbortSignal): AsyncIterable<BackupRecord | RecordLines> {
  yield* reader.lines(signal);
  if (!history) return;
  let n = 0;
  const pause = async () => {
    if (++n % YIELD_EVERY !== 0) return;
    signal?.throwIfAborted();
    await yieldToEventLoop();
  };
  if ('store' in history) {
    for await (const event of history.store.readAll({ toPosition: reader.position })) {
      yield { t: 'event', v: event as unknown as Extract<BackupRecord, { t: 'event' }>['v'] };
      await pause();
    }
    return;
  }
  for (const piece of storedEventLines(history.logFile, reader.position)) {
    yield piece;
    await pause();
  }
}

/** How many records a backup of `reader`'s state holds (a known total for progress): `firstPosition` is the log's first event (after a compaction, not 1). */
export function backupRecordCount(reader: StateReader, includeHistory: boolean, firstPosition: number): number {
  const { datasets, locations, configurations } = reader.counts();
  const events = includeHistory && firstPosition > 0 ? Math.max(0, reader.position - firstPosition + 1) : 0;
  return datasets + locations + 1 + configurations + events;
}
