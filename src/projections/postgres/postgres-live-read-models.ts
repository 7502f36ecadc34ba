import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryRunner } from 'typeorm';
import { RecordedEvent } from '../../events/event-store';
import { READ_MODEL_TABLES } from '../entities/read-model-entities';
import { LiveReadModels } from '../live-read-models';
import type { StateCounts } from '../target-state';
import { PostgresReadModelWriter, Query } from './postgres-read-model-writer';
import { exportStateFile, loadStateFile } from './postgres-state-files';
import { StateReader } from '../state-reader';
import { SqliteStateReader } from '../sqlite/sqlite-state-reader';

const CHECKPOINT = 'globe';
const SET_CHECKPOINT = 'INSERT INTO projection_checkpoints (name, position) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET position = excluded.position';

/**
 * LiveReadModels in PostgreSQL (live-read-models.ts states the guarantees). Each write is ONE
 * transaction on one pooled connection, committed or rolled back before the call returns: the rows
 * and the checkpoint move together, and no transaction outlives the call. Reads that must agree
 * (counts with their checkpoint, an exported state) are one statement or one REPEATABLE READ
 * snapshot, so a concurrent apply is either wholly in them or wholly out.
 */
@Injectable()
export class PostgresLiveReadModels extends LiveReadModels {
  /** `tmpDir`: where `reader` exports the state it reads (DATA_DIR/tmp). */
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tmpDir: string = tmpdir(),
  ) {
    super();
  }

  /**
   * A fixed view of the live state: one REPEATABLE READ export (exportState) into a state file in
   * `tmpDir`, read by the SQLite state reader and removed when the reader closes. Costs one export,
   * proportional to the state (a backup reads all of it anyway).
   */
  async reader(): Promise<StateReader> {
    await mkdir(this.tmpDir, { recursive: true });
    const path = join(this.tmpDir, `live-reader-${randomUUID()}.sqlite`);
    try {
      await this.exportState(path);
      const reader = new SqliteStateReader(path);
      const close = reader.close.bind(reader);
      reader.close = () => {
        close();
        rmSync(path, { force: true });
      };
      return reader;
    } catch (error) {
      rmSync(path, { force: true });
      throw error;
    }
  }

  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }

  async checkpoint(): Promise<number> {
    const [row] = await this.dataSource.query('SELECT position FROM projection_checkpoints WHERE name = $1', [CHECKPOINT]);
    return row?.position ?? 0;
  }

  /** One statement: one snapshot, so the counts and the checkpoint are of the same moment. */
  async counts(): Promise<{ position: number; counts: StateCounts }> {
    const [row] = await this.dataSource.query(
      `SELECT (SELECT count(*) FROM datasets) AS datasets, (SELECT count(*) FROM locations) AS locations,
        (SELECT count(*) FROM configurations) AS configurations, (SELECT position FROM projection_checkpoints WHERE name = $1) AS position`,
      [CHECKPOINT],
    );
    return { position: row.position ?? 0, counts: { datasets: row.datasets, locations: row.locations, configurations: row.configurations } };
  }

  /**
   * The effects (batched: postgres-read-model-writer.ts) and the checkpoint of the last event, in one
   * transaction that first locks the checkpoint row and skips the events at or below it. So applies
   * from several processes on one database (each instance's projector follows the same log) take
   * turns, and an event another one applied first is never applied twice: every instance reaches the
   * same state, that of each event applied once, in order.
   */
  async apply(events: RecordedEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.transaction('READ COMMITTED', async (query) => {
      await query('INSERT INTO projection_checkpoints (name, position) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING', [CHECKPOINT]);
      const [{ position }] = await query('SELECT position FROM projection_checkpoints WHERE name = $1 FOR UPDATE', [CHECKPOINT]);
      const pending = events.filter((e) => e.position > (position as number));
      if (pending.length === 0) return;
      await new PostgresReadModelWriter(query).apply(pending);
      await query(SET_CHECKPOINT, [CHECKPOINT, pending[pending.length - 1].position]);
    });
  }

  async reset(): Promise<void> {
    await this.transaction('READ COMMITTED', async (query) => {
      await query(`TRUNCATE ${READ_MODEL_TABLES.join(', ')}`);
      await query(SET_CHECKPOINT, [CHECKPOINT, 0]);
    });
  }

  async loadState(statePath: string): Promise<void> {
    await this.transaction('READ COMMITTED', (query) => loadStateFile(query, statePath, CHECKPOINT));
  }

  async exportState(path: string): Promise<number> {
    return this.transaction('REPEATABLE READ', (query) => exportStateFile(query, path, CHECKPOINT));
  }

  private async transaction<R>(isolation: 'READ COMMITTED' | 'REPEATABLE READ', fn: (query: Query) => Promise<R>): Promise<R> {
    const runner: QueryRunner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction(isolation);
      try {
        const result = await fn((sql, params) => runner.query(sql, params));
        await runner.commitTransaction();
        return result;
      } catch (error) {
        await runner.rollbackTransaction();
        throw error;
      }
    } finally {
      await runner.release();
    }
  }
}
