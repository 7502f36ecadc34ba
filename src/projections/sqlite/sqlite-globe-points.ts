import { Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { GlobePoints, GlobePointsOptions, GlobePointsReads } from '../globe-points';
import { checkpointOf } from './database-state';
import { rawConnection } from './read-model-db';

type Row = [datasetId: string, id: string, latitude: number, longitude: number, quantity: number | null, updatedAt?: string];

/**
 * GlobePointsReads on a read-model SQLite file. One synchronous read transaction (nothing awaits in
 * it, so the projector's applies on the same connection cannot land between the checkpoint and the
 * rows, and a WAL reader elsewhere sees one snapshot). The table is scanned in its own order (an
 * ORDER BY over the (dataset_id, id) index costs a lookup per row, measured several times slower),
 * then grouped by dataset with a counting sort (stable: within a dataset, the table's order).
 */
@Injectable()
export class SqliteGlobePoints extends GlobePointsReads {
  async points(source: DataSource, options: GlobePointsOptions = {}): Promise<GlobePoints> {
    const db = rawConnection(source);
    const columns = `dataset_id, id, latitude, longitude, quantity${options.updatedAt ? ', updated_at' : ''}`;
    const read = db.transaction(() => ({
      position: checkpointOf(db),
      rows: db.prepare<[], Row>(`SELECT ${columns} FROM locations`).raw(true).all(),
    }));
    const { position, rows } = read();
    return { position, ...groupByDataset(rows, options.updatedAt === true) };
  }

  async checkpoint(source: DataSource): Promise<number> {
    return checkpointOf(rawConnection(source));
  }
}

function groupByDataset(rows: Row[], withUpdatedAt: boolean): Omit<GlobePoints, 'position'> {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row[0], (counts.get(row[0]) ?? 0) + 1);
  const datasetIds = [...counts.keys()].sort();
  const next = new Map<string, number>();
  let offset = 0;
  for (const id of datasetIds) {
    next.set(id, offset);
    offset += counts.get(id)!;
  }
  const n = rows.length;
  const ids: string[] = new Array(n);
  const latitude = new Float64Array(n);
  const longitude = new Float64Array(n);
  const quantity = new Float64Array(n);
  const updatedAt: string[] | undefined = withUpdatedAt ? new Array(n) : undefined;
  for (const row of rows) {
    const i = next.get(row[0])!;
    next.set(row[0], i + 1);
    ids[i] = row[1];
    latitude[i] = row[2];
    longitude[i] = row[3];
    quantity[i] = row[4] ?? NaN;
    if (updatedAt) updatedAt[i] = row[5]!;
  }
  return { datasets: datasetIds.map((id) => ({ id, count: counts.get(id)! })), ids, latitude, longitude, quantity, ...(updatedAt ? { updatedAt } : {}) };
}
