import Database from 'better-sqlite3';
import { join } from 'node:path';
import { ManualClock } from '../../common/clock';
import { EVENT_COLUMNS, EventRow } from '../../events/sqlite/event-row';
import { SqliteEventStore } from '../../events/sqlite/sqlite-event-store';
import { toLocation } from '../row-mappers';
import { collect, location, locationsAdded, settingsChanged, tempDir } from '../../../test/support/event-fixtures';
import { checkRecord } from '../../backups/format/check-record';
import { eventRowLine } from '../../events/sqlite/stored-event-lines';
import { locationRowLine, LOCATION_ROW_COLUMNS } from './location-row-lines';

/** Lines made from stored rows read back as the records the objects would have made. */
describe('stored row lines', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());

  it("an event row copied verbatim reads back equal to the store's own reading of it", async () => {
    const file = join(dir.dir, 'events.sqlite');
    const store = new SqliteEventStore(file, new ManualClock('2026-03-01T10:00:00.123Z'));
    await store.append('dataset-1', [locationsAdded('1', [location('a'), location('b', { quantity: 3, properties: { 'é "quoted"\n': [1, { x: null }] } })])]);
    await store.append('settings', [settingsChanged({ theme: 'dark' })]);
    const events = await collect(store.readAll());
    await store.close();
    const db = new Database(file, { readonly: true });
    const rows = db.prepare(`SELECT ${EVENT_COLUMNS} FROM events ORDER BY position`).all() as EventRow[];
    db.close();
    const lines = rows.map(eventRowLine);
    expect(lines.every((l) => l.endsWith('}\n') && l.indexOf('\n') === l.length - 1)).toBe(true);
    expect(lines.map((l) => checkRecord(JSON.parse(l)))).toEqual(events.map((v) => ({ ok: true, record: { t: 'event', v } })));
  });

  it('stored JSON with a line break in it is written on one line, to the same value', () => {
    const row = { position: 1, event_id: 'e', stream: 's', revision: 0, type: 'SettingsChanged', schema_version: 1, data: '{\n "patch": {"theme": "dark"}\n}', metadata: '{"actor":"a"}', recorded_at: 0 };
    const line = eventRowLine(row);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(JSON.parse(line).v.data).toEqual({ patch: { theme: 'dark' } });
  });

  it('a location row becomes the record toLocation makes of it (quantity only when set)', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE locations (id TEXT, dataset_id TEXT, name TEXT, latitude REAL, longitude REAL, quantity REAL, properties TEXT, created_at TEXT, updated_at TEXT)');
    const insert = db.prepare('INSERT INTO locations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    insert.run('l1', 'd1', 'Zürich "old town"', 47.376887, 8.541694, 402762, '{"b":1,"a":[true,null,"\\u2028"]}', '2024-01-01T00:00:00.000Z', '2024-01-02T00:00:00.000Z');
    insert.run('l2', 'd1', 'no quantity', -90, 180, null, '{}', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z');
    const raw = db.prepare(`SELECT ${LOCATION_ROW_COLUMNS} FROM locations ORDER BY id`).raw().all() as unknown[][];
    const objects = db.prepare('SELECT id, dataset_id AS datasetId, name, latitude, longitude, quantity, properties, created_at, updated_at FROM locations ORDER BY id').all();
    db.close();
    expect(raw.map((r) => JSON.parse(locationRowLine(r)))).toEqual(objects.map((o) => ({ t: 'location', v: toLocation(o as never) })));
    expect(raw.map((r) => checkRecord(JSON.parse(locationRowLine(r))).ok)).toEqual([true, true]);
  });
});
