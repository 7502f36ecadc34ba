import Database from 'better-sqlite3';
import { GlobeState } from '../../src/domain/globe-state';
import { DEFAULT_SETTINGS } from '../../src/domain/settings';

const byId = <T extends { id: string }>(xs: Iterable<T>) => [...xs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/** Read-model tables as plain rows in id order; settings as the effective document (stored values over defaults). */
export function dumpTables(db: Database.Database, schema = 'main') {
  const settingsRow = db.prepare(`SELECT document FROM ${schema}.settings WHERE id = 'app'`).get() as { document: string } | undefined;
  return {
    datasets: db.prepare(`SELECT * FROM ${schema}.datasets ORDER BY id`).all(),
    locations: db.prepare(`SELECT * FROM ${schema}.locations ORDER BY id`).all(),
    settings: { ...DEFAULT_SETTINGS, ...(settingsRow ? JSON.parse(settingsRow.document) : {}) },
    configurations: db.prepare(`SELECT * FROM ${schema}.configurations ORDER BY id`).all(),
  };
}

/** The domain fold in the same shape as dumpTables, to compare with what SQL holds. */
export function stateAsRows(state: GlobeState) {
  return {
    datasets: byId(state.datasets.values()).map((d) => ({
      id: d.id,
      name: d.name,
      description: d.description,
      color: d.color,
      visible: d.visible ? 1 : 0,
      source: d.source ? JSON.stringify(d.source) : null,
      column_mapping: JSON.stringify(d.columnMapping),
      created_at: d.created_at,
      updated_at: d.updated_at,
    })),
    locations: byId(state.locations.values()).map((l) => ({
      id: l.id,
      dataset_id: l.datasetId,
      name: l.name,
      latitude: l.latitude,
      longitude: l.longitude,
      quantity: l.quantity ?? null,
      properties: JSON.stringify(l.properties),
      created_at: l.created_at,
      updated_at: l.updated_at,
    })),
    settings: { ...state.settings },
    configurations: byId(state.configurations.values()).map((c) => ({
      id: c.id,
      kind: c.kind,
      name: c.name,
      value: JSON.stringify(c.value),
      created_at: c.created_at,
      updated_at: c.updated_at,
    })),
  };
}
