import { Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { GlobePoints, GlobePointsOptions, GlobePointsReads } from '../globe-points';
import { checkpointOf } from './database-state';
import { rawConnection } from './read-model-db';

type Row = [datasetId: string, id: string, latitude: number, longitude: number, quantity: number | null, updatedAt?: string];

/**
 * GlobePointsReads on a read-model SQLite file. One synchronous read transaction (nothing awaits in
 * it, so the projector's applies on the same connection cannot land between the checkpoint and the
 * rows, and a WAL reader elsewhere sees one snapshot). The datasets' counts come first (from the
 * (dataset_id, id) index alone), then one scan of the table in its own order writes each row
 * straight into its dataset's slice of the columns: no array of rows in between. (An ORDER BY over
 * that index costs a row lookup each, measured several times slower than the scan.) Within a
 * dataset, points keep the table's order.
 */
@Injectable()
export class SqliteGlobePoints extends GlobePointsReads {
  async points(source: DataSource, options: GlobePointsOptions = {}): Promise<GlobePoints> {
    const db = rawConnection(source);
    const withUpdatedAt = options.updatedAt === true;
    const columns = `dataset_id, id, latitude, longitude, quantity${withUpdatedAt ? ', updated_at' : ''}`;
    return db.transaction(() => {
      const datasets = db.prepare<[], { id: string; count: number }>('SELECT dataset_id AS id, count(*) AS count FROM locations GROUP BY dataset_id ORDER BY dataset_id').all();
      // each dataset's next free index in the columns
      const slots = new Map<string, { next: number }>();
      let n = 0;
      for (const d of datasets) {
        slots.set(d.id, { next: n });
        n += d.count;
      }
      const ids: string[] = new Array(n);
      const latitude = new Float64Array(n);
      const longitude = new Float64Array(n);
      const quantity = new Float64Array(n);
      const updatedAt: string[] | undefined = withUpdatedAt ? new Array(n) : undefined;
      for (const row of db.prepare<[], Row>(`SELECT ${columns} FROM locations`).raw(true).iterate()) {
        const i = slots.get(row[0])!.next++;
        ids[i] = row[1];
        latitude[i] = row[2];
        longitude[i] = row[3];
        quantity[i] = row[4] ?? NaN;
        if (updatedAt) updatedAt[i] = row[5]!;
      }
      return { position: checkpointOf(db), datasets, ids, latitude, longitude, quantity, ...(updatedAt ? { updatedAt } : {}) };
    })();
  }

  async checkpoint(source: DataSource): Promise<number> {
    return checkpointOf(rawConnection(source));
  }
}
