import { Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { GlobePoints, GlobePointsOptions, GlobePointsReads } from './globe-points';
import { postgresGlobePoints, postgresPointsCheckpoint } from './postgres/postgres-globe-points';
import { SqliteGlobePoints } from './sqlite/sqlite-globe-points';

/**
 * GlobePointsReads for whichever engine holds the state it is given: the live read models may be in
 * PostgreSQL, while past and backed-up states are always SQLite scratch files (TimeTravel hands out
 * either as a DataSource). Both adapters keep the port's guarantees.
 */
@Injectable()
export class EngineGlobePoints extends GlobePointsReads {
  private readonly sqlite = new SqliteGlobePoints();

  points(source: DataSource, options?: GlobePointsOptions): Promise<GlobePoints> {
    return source.options.type === 'postgres' ? postgresGlobePoints(source, options) : this.sqlite.points(source, options);
  }

  checkpoint(source: DataSource): Promise<number> {
    return source.options.type === 'postgres' ? postgresPointsCheckpoint(source) : this.sqlite.checkpoint(source);
  }
}
