import { Injectable } from '@nestjs/common';
import { EventOf } from '../domain/events';
import { RestoreCounts } from '../domain/restore';
import { EventStore, RecordedEvent } from '../events/event-store';
import { restoreNotFound } from './recovery-errors';
import { restoreStream } from './restore-run';

type Started = RecordedEvent & EventOf<'RestoreStarted'>;

/** How many of the latest restores are read to tell which were undone. */
const UNDO_WINDOW = 500;

export interface RestoreView {
  id: string;
  actor: string;
  source: string;
  startedAt: string;
  target: EventOf<'RestoreStarted'>['data']['target'];
  scope: EventOf<'RestoreStarted'>['data']['scope'];
  strategy: string;
  basePosition: number;
  undoOf: string | null;
  /** The latest restore that undid this one (an undo of an undo is a redo); null while it stands. */
  undoneBy: { id: string; startedAt: string } | null;
  /** Position of the RestoreStarted marker; the restore's events follow it in its own stream. */
  position: number;
  counts: RestoreCounts | null;
}

/**
 * Restores as the log records them: every restore is one atomic append, so a RestoreStarted in the
 * log always has its RestoreCompleted (restores still running show as jobs instead).
 */
@Injectable()
export class RestoreHistory {
  constructor(private readonly store: EventStore) {}

  async list(limit: number): Promise<RestoreView[]> {
    const started = (await this.store.query({ types: ['RestoreStarted'], direction: 'backward', limit })) as Started[];
    const undos = await this.undos(started);
    return Promise.all(started.map((e) => this.view(e, undos)));
  }

  async find(restoreId: string): Promise<RestoreView> {
    for await (const event of this.store.readStream(restoreStream(restoreId))) {
      if (event.type === 'RestoreStarted') return this.view(event as Started, await this.undos([]));
    }
    throw restoreNotFound(restoreId);
  }

  /**
   * Which restore undid which, newest undo first: from the restores already read, else from the
   * latest UNDO_WINDOW restores (an undo follows what it undoes, so it is never older than it).
   */
  private async undos(read: Started[]): Promise<Map<string, Started>> {
    const all = read.length >= UNDO_WINDOW ? read : ((await this.store.query({ types: ['RestoreStarted'], direction: 'backward', limit: UNDO_WINDOW })) as Started[]);
    const by = new Map<string, Started>();
    for (const e of all) if (e.data.undoOf && !by.has(e.data.undoOf)) by.set(e.data.undoOf, e);
    return by;
  }

  private async view(e: Started, undos: Map<string, Started>): Promise<RestoreView> {
    const undo = undos.get(e.data.restoreId);
    const [completed] = await this.store.query({ stream: restoreStream(e.data.restoreId), types: ['RestoreCompleted'], direction: 'backward', limit: 1 });
    return {
      id: e.data.restoreId,
      actor: e.metadata.actor,
      source: e.metadata.source,
      startedAt: e.recordedAt,
      target: e.data.target,
      scope: e.data.scope,
      strategy: e.data.strategy,
      basePosition: e.data.basePosition,
      undoOf: e.data.undoOf,
      undoneBy: undo ? { id: undo.data.restoreId, startedAt: undo.recordedAt } : null,
      position: e.position,
      counts: completed?.type === 'RestoreCompleted' ? completed.data.counts : null,
    };
  }
}
