import { join } from 'node:path';
import Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { SystemClock } from '../src/common/clock';
import { EventMetadata } from '../src/domain/event-metadata';
import { NewEvent } from '../src/events/event-store';
import { SqliteEventStore } from '../src/events/sqlite/sqlite-event-store';
import { configurationStream, datasetStream, SETTINGS_STREAM } from '../src/domain/streams';
import { seededRandom } from '../src/common/seeded-random';

/**
 * The small events of the `pitr` benchmark, appended through the app's own SqliteEventStore (the
 * EventStore port the server uses, on the server's `<DATA_DIR>/events.sqlite`, the server stopped)
 * because 200,000 single-event commands over HTTP would take many minutes here (one fsync'd append
 * and one projection wait per request, serialized). They are the events the commands would record:
 *
 * - 85 % of appends: 100 events on the dataset's stream, each a `LocationUpdated` of an imported
 *   location (82 %: a rename, a quantity, a move or new properties), a `LocationsAdded` of one new
 *   location (12 %) or a `LocationsRemoved` of one imported location (6 %, each removed once, never
 *   one that is also updated);
 * - 10 %: 10 `SettingsChanged` patches of UI keys (never the snapshot schedules);
 * - 5 %: 10 `ConfigurationSaved` of one of 50 named camera views.
 *
 * Deterministic (seeded), so every run builds the same log up to ids and timestamps.
 */
export interface SmallEventsResult {
  events: number;
  appends: number;
  firstPosition: number;
  lastPosition: number;
  /** `recordedAt` of the append holding the middle event: the restore target T. */
  middleRecordedAt: string;
  middlePosition: number;
  ms: number;
  counts: Record<string, number>;
}

const THEMES = ['light', 'dark', 'system'] as const;
const STYLES = ['default', 'satellite', 'dark', 'night', 'political'] as const;

/** The ids of the dataset's locations in insertion order, read from the (stopped) server's read models. */
export function importedLocationIds(dataDir: string, datasetId: string): string[] {
  const db = new Database(join(dataDir, 'read-models.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare<[string], { id: string }>('SELECT id FROM locations WHERE dataset_id = ? ORDER BY rowid')
      .all(datasetId)
      .map((r) => r.id);
  } finally {
    db.close();
  }
}

export async function appendSmallEvents(dataDir: string, datasetId: string, locationIds: string[], total: number): Promise<SmallEventsResult> {
  const store = new SqliteEventStore(join(dataDir, 'events.sqlite'), new SystemClock());
  const random = seededRandom(42);
  const updatable = Math.floor(locationIds.length * 0.9);
  let nextRemoval = updatable;
  const counts: Record<string, number> = {};
  const started = Date.now();
  let written = 0;
  let appends = 0;
  let firstPosition = 0;
  let lastPosition = 0;
  let middleRecordedAt = '';
  let middlePosition = 0;
  try {
    while (written < total) {
      const pick = random();
      const now = new Date().toISOString();
      const metadata: EventMetadata = { actor: 'bench', source: 'api', correlationId: uuidv7(), causationId: null };
      const events: NewEvent[] = [];
      let stream: string;
      if (pick < 0.85) {
        stream = datasetStream(datasetId);
        for (let i = 0; i < Math.min(100, total - written); i++) {
          const kind = random();
          if (kind < 0.82 || nextRemoval >= locationIds.length) {
            const n = Math.floor(random() * updatable);
            const change = random();
            const changes =
              change < 0.25
                ? { name: `Place ${n} (renamed ${written + i})` }
                : change < 0.5
                  ? { quantity: Math.round(random() * 1000) }
                  : change < 0.75
                    ? { latitude: Math.round((random() * 180 - 90) * 1e4) / 1e4, longitude: Math.round((random() * 360 - 180) * 1e4) / 1e4 }
                    : { properties: { population: Math.floor(random() * 5e6), country: 'FR', category: 'city', note: `edited ${written + i}` } };
            events.push({ type: 'LocationUpdated', data: { datasetId, locationId: locationIds[n], changes, updated_at: now }, metadata });
          } else if (kind < 0.94) {
            const location = {
              id: uuidv7(),
              name: `Added ${written + i}`,
              latitude: Math.round((random() * 180 - 90) * 1e4) / 1e4,
              longitude: Math.round((random() * 360 - 180) * 1e4) / 1e4,
              properties: { population: Math.floor(random() * 5e6), country: 'DE', category: 'town' },
              created_at: now,
              updated_at: now,
            };
            events.push({ type: 'LocationsAdded', data: { datasetId, locations: [location] }, metadata });
          } else {
            events.push({ type: 'LocationsRemoved', data: { datasetId, locationIds: [locationIds[nextRemoval++]] }, metadata });
          }
        }
      } else if (pick < 0.95) {
        stream = SETTINGS_STREAM;
        for (let i = 0; i < Math.min(10, total - written); i++) {
          const key = random();
          const patch =
            key < 0.25
              ? { theme: THEMES[Math.floor(random() * THEMES.length)] }
              : key < 0.5
                ? { globeStyle: STYLES[Math.floor(random() * STYLES.length)] }
                : key < 0.75
                  ? { rotationSpeed: Math.round(random() * 100) / 10 }
                  : { searchQuery: `query ${written + i}` };
          events.push({ type: 'SettingsChanged', data: { patch }, metadata });
        }
      } else {
        const id = `camera-${Math.floor(random() * 50)}`;
        stream = configurationStream(id);
        for (let i = 0; i < Math.min(10, total - written); i++) {
          const value = { latitude: Math.round((random() * 180 - 90) * 1e4) / 1e4, longitude: Math.round((random() * 360 - 180) * 1e4) / 1e4, zoom: Math.round(random() * 200) / 10 };
          const configuration = { id, kind: 'camera-view' as const, name: `View ${id}`, value, created_at: now, updated_at: now };
          events.push({ type: 'ConfigurationSaved', data: { configuration }, metadata });
        }
      }
      const result = await store.append(stream, events);
      for (const e of events) counts[e.type] = (counts[e.type] ?? 0) + 1;
      if (firstPosition === 0) firstPosition = result.firstPosition;
      lastPosition = result.lastPosition;
      if (written < total / 2 && written + events.length >= total / 2) {
        middleRecordedAt = result.recordedAt;
        middlePosition = result.firstPosition + Math.floor(total / 2) - written - 1;
      }
      written += events.length;
      appends += 1;
    }
  } finally {
    await store.close();
  }
  return { events: written, appends, firstPosition, lastPosition, middleRecordedAt, middlePosition, ms: Date.now() - started, counts };
}

/** The read models' checkpoint and the log's head, read from the files (read-only, beside a running server). */
export function projectionLag(dataDir: string): { checkpoint: number; head: number } {
  const rm = new Database(join(dataDir, 'read-models.sqlite'), { readonly: true, fileMustExist: true });
  const ev = new Database(join(dataDir, 'events.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const checkpoint = (rm.prepare("SELECT position FROM projection_checkpoints WHERE name = 'globe'").get() as { position: number } | undefined)?.position ?? 0;
    const head = (ev.prepare('SELECT max(position) AS p FROM events').get() as { p: number | null }).p ?? 0;
    return { checkpoint, head };
  } finally {
    rm.close();
    ev.close();
  }
}
