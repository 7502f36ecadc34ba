import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';
import { ScheduledRunEntity } from './scheduled-run.entity';

/** A unique-key violation, as SQLite and PostgreSQL report it. */
const DUPLICATE_KEY = new Set(['SQLITE_CONSTRAINT_PRIMARYKEY', 'SQLITE_CONSTRAINT_UNIQUE', '23505']);

/**
 * Makes a schedule fire on one instance only when several share a database: every instance's timer
 * fires, each tries to insert the slot (`<schedule>@<minute it fired for>`) into `scheduled_runs`,
 * and the one whose insert lands runs the work; the others find the key taken (the primary key
 * refuses their insert) and skip. No lease to expire, no clock to trust beyond the minute. One plain
 * INSERT through the repository (no transaction around it), so it works on any database TypeORM
 * speaks to; on SQLite, instances share a database when they share DATA_DIR.
 */
@Injectable()
export class ScheduledRunClaims {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async claim(schedule: string, firedAt: Date): Promise<boolean> {
    const minute = new Date(Math.floor(firedAt.getTime() / 60_000) * 60_000).toISOString();
    try {
      await this.dataSource.getRepository(ScheduledRunEntity).insert({ slot: `${schedule}@${minute}`, claimed_at: new Date().toISOString(), pid: process.pid });
      return true;
    } catch (error) {
      if (error instanceof QueryFailedError && DUPLICATE_KEY.has((error.driverError as { code?: string }).code ?? '')) return false;
      throw error;
    }
  }
}
