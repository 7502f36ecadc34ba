import type { DataSource } from 'typeorm';
import { GlobePoints, GlobePointsOptions } from '../globe-points';

const CHECKPOINT = 'globe';

type Row = { dataset_id: string; id: string; latitude: number; longitude: number; quantity: number | null; updated_at?: string };

/**
 * The globe's compact read on the live read models in PostgreSQL: the checkpoint and the rows in ONE
 * REPEATABLE READ transaction (one snapshot: an apply commits wholly before or after it). Datasets
 * come in id order (text is COLLATE "C", as SQLite's binary order), each one's points a contiguous
 * slice; within a dataset, the order the rows come in.
 */
export async function postgresGlobePoints(source: DataSource, options: GlobePointsOptions = {}): Promise<GlobePoints> {
  const withUpdatedAt = options.updatedAt === true;
  return source.transaction('REPEATABLE READ', async (manager) => {
    const [checkpoint] = await manager.query('SELECT position FROM projection_checkpoints WHERE name = $1', [CHECKPOINT]);
    const rows: Row[] = await manager.query(
      `SELECT dataset_id, id, latitude, longitude, quantity${withUpdatedAt ? ', updated_at' : ''} FROM locations ORDER BY dataset_id`,
    );
    const datasets: { id: string; count: number }[] = [];
    const n = rows.length;
    const ids: string[] = new Array(n);
    const latitude = new Float64Array(n);
    const longitude = new Float64Array(n);
    const quantity = new Float64Array(n);
    const updatedAt: string[] | undefined = withUpdatedAt ? new Array(n) : undefined;
    rows.forEach((row, i) => {
      const last = datasets[datasets.length - 1];
      if (last?.id === row.dataset_id) last.count++;
      else datasets.push({ id: row.dataset_id, count: 1 });
      ids[i] = row.id;
      latitude[i] = Number(row.latitude);
      longitude[i] = Number(row.longitude);
      quantity[i] = row.quantity === null ? NaN : Number(row.quantity);
      if (updatedAt) updatedAt[i] = row.updated_at!;
    });
    return { position: Number(checkpoint?.position ?? 0), datasets, ids, latitude, longitude, quantity, ...(updatedAt ? { updatedAt } : {}) };
  });
}

/** The live checkpoint, without reading a row. */
export async function postgresPointsCheckpoint(source: DataSource): Promise<number> {
  const [row] = await source.query('SELECT position FROM projection_checkpoints WHERE name = $1', [CHECKPOINT]);
  return Number(row?.position ?? 0);
}
