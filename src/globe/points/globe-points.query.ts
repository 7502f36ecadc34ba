import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { EventStore } from '../../events/event-store';
import { GlobePoints, GlobePointsReads } from '../../projections/globe-points';
import { TimeTravel, atQuery } from '../../recovery/time-travel';

export const globePointsQuery = z
  .object({
    /** `binary` (application/vnd.globe-vault.points, what the UI reads) or `json` (the same columns as arrays). */
    format: z.enum(['binary', 'json']).default('json'),
    /** Extra columns beyond id, latitude, longitude, quantity and dataset: `updated_at` (the restore preview's "newest wins"). */
    fields: z.enum(['updated_at']).optional(),
    at: atQuery,
    /** A backup's points instead of the live ones (the Backup Browser's and the Restore Wizard's globes). */
    backupId: z.string().min(1).max(200).optional(),
  })
  .refine((q) => !(q.at && q.backupId), { message: 'give at or backupId, not both' })
  .strict();
export type GlobePointsQuery = z.infer<typeof globePointsQuery>;

/**
 * The globe's compact read on the live state, a past one or a backup's (through TimeTravel, as every
 * other read), with its entity tag: the position the points were read at and the log's chain hash
 * there. The chain hash covers every event up to the position, so equal tags mean equal points even
 * across a wiped and refilled data directory. A backup's points carry no tag: whether the backup
 * still exists is not known without opening it.
 */
@Injectable()
export class GlobePointsService {
  constructor(
    @InjectDataSource() private readonly live: DataSource,
    private readonly timeTravel: TimeTravel,
    private readonly store: EventStore,
    private readonly reads: GlobePointsReads,
  ) {}

  /** The tag the answer would carry now, without reading any row (null: not known cheaply). */
  async currentTag(query: GlobePointsQuery): Promise<string | null> {
    if (query.backupId !== undefined) return null;
    const position = query.at === undefined ? await this.reads.checkpoint(this.live) : await this.store.positionAt(query.at);
    return this.positionTag(position, query);
  }

  async read(query: GlobePointsQuery): Promise<{ points: GlobePoints; tag: string | null }> {
    const points = await this.timeTravel.read({ at: query.at, backupId: query.backupId }, (source) => this.reads.points(source, { updatedAt: query.fields === 'updated_at' }));
    return { points, tag: query.backupId !== undefined ? null : await this.positionTag(points.position, query) };
  }

  private async positionTag(position: number, query: GlobePointsQuery): Promise<string | null> {
    const head = await this.store.chainHeadAt(position);
    return head ? `"p${position}.${head.hash.slice(0, 20)}.${variant(query)}"` : null;
  }
}

const variant = (query: GlobePointsQuery) => `${query.format}${query.fields ? `+${query.fields}` : ''}`;
