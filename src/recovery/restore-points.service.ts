import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { EventMetadata } from '../domain/event-metadata';
import { EventOf } from '../domain/events';
import { restorePointCreated } from '../domain/restore-point';
import { EventStore, RecordedEvent } from '../events/event-store';
import { restorePointNotFound } from './recovery-errors';

export const RESTORE_POINTS_STREAM = 'restore-points';

export interface RestorePointView {
  id: string;
  name: string;
  description: string;
  position: number;
  automatic: boolean;
  createdAt: string;
  actor: string;
}

const toView = (e: RecordedEvent & EventOf<'RestorePointCreated'>): RestorePointView => ({
  id: e.data.restorePointId,
  name: e.data.name,
  description: e.data.description,
  position: e.data.position,
  automatic: e.data.automatic,
  createdAt: e.recordedAt,
  actor: e.metadata.actor,
});

/**
 * Named positions in the log ("before I imported that file"). A user's point is its own event in
 * the `restore-points` stream; automatic ones travel inside the append they precede (an import, a
 * restore), so their position is exact.
 */
@Injectable()
export class RestorePointsService {
  constructor(private readonly store: EventStore) {}

  async create(name: string, description: string, metadata: EventMetadata): Promise<RestorePointView> {
    for (;;) {
      const head = await this.store.headPosition();
      const event = restorePointCreated(uuidv7(), name, head, false, description);
      try {
        const result = await this.store.append(RESTORE_POINTS_STREAM, [{ ...event, metadata }], 'any', { expectedHead: head });
        return { id: event.data.restorePointId, name, description, position: head, automatic: false, createdAt: result.recordedAt, actor: metadata.actor };
      } catch (error) {
        if ((error as { code?: string }).code !== 'EVENTS.HEAD_MOVED') throw error;
      }
    }
  }

  async list(limit = 200): Promise<RestorePointView[]> {
    const events = await this.store.query({ types: ['RestorePointCreated'], direction: 'backward', limit });
    return events.map((e) => toView(e as RecordedEvent & EventOf<'RestorePointCreated'>));
  }

  async find(id: string): Promise<RestorePointView> {
    let after: number | undefined;
    for (;;) {
      const page = await this.store.query({ types: ['RestorePointCreated'], direction: 'backward', limit: 500, afterPosition: after });
      const hit = page.find((e) => e.type === 'RestorePointCreated' && e.data.restorePointId === id);
      if (hit) return toView(hit as RecordedEvent & EventOf<'RestorePointCreated'>);
      if (page.length < 500) throw restorePointNotFound(id);
      after = page[page.length - 1].position;
    }
  }
}
