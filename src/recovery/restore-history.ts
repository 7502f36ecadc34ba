import { Injectable } from '@nestjs/common';
import { EventOf } from '../domain/events';
import { RestoreCounts } from '../domain/restore';
import { EventStore, RecordedEvent } from '../events/event-store';
import { restoreNotFound } from './recovery-errors';
import { restoreStream } from './restore.service';

type Started = RecordedEvent & EventOf<'RestoreStarted'>;

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
    return Promise.all(started.map((e) => this.view(e)));
  }

  async find(restoreId: string): Promise<RestoreView> {
    for await (const event of this.store.readStream(restoreStream(restoreId))) {
      if (event.type === 'RestoreStarted') return this.view(event as Started);
    }
    throw restoreNotFound(restoreId);
  }

  private async view(e: Started): Promise<RestoreView> {
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
      position: e.position,
      counts: completed?.type === 'RestoreCompleted' ? completed.data.counts : null,
    };
  }
}
