import { Inject, Injectable } from '@nestjs/common';
import Database from 'better-sqlite3';
import { READ_MODEL_DB } from '../projections/sqlite/read-model-db';

/**
 * Makes a schedule fire on one instance only when several share a database: every instance's timer
 * fires, each tries to insert the slot (`<schedule>@<minute it fired for>`) into `scheduled_runs`,
 * and the one whose insert lands runs the work; the others find the key taken and skip. No lease to
 * expire, no clock to trust beyond the minute. (On SQLite, instances share a database when they
 * share DATA_DIR; the PostgreSQL adapter will do the same with ON CONFLICT DO NOTHING.)
 */
@Injectable()
export class ScheduledRunClaims {
  constructor(@Inject(READ_MODEL_DB) private readonly db: Database.Database) {}

  claim(schedule: string, firedAt: Date): boolean {
    const minute = new Date(Math.floor(firedAt.getTime() / 60_000) * 60_000).toISOString();
    const insert = this.db.prepare('INSERT OR IGNORE INTO scheduled_runs (slot, claimed_at, pid) VALUES (?, ?, ?)');
    return insert.run(`${schedule}@${minute}`, new Date().toISOString(), process.pid).changes === 1;
  }
}
