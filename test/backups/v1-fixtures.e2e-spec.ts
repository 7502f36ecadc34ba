import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SETTINGS } from '../../src/domain/settings';
import { TestApp, allAudit, allLocations, startApp } from '../support/app-harness';
import { counts, expectStatus, getJson, preview, restore } from '../recovery/recovery-helpers';
import { backupNow, sha256, upload } from './backup-helpers';

/**
 * Backups of a released format version keep restoring: the committed files of format version 1
 * (test/fixtures/backups, see its README: never regenerated) are uploaded into a FRESH instance,
 * restored whole, and must give exactly the state they recorded (counts, state hash, content), and
 * pass a restore drill.
 */

const FIXTURES = join(__dirname, '..', 'fixtures', 'backups');
const PASSPHRASE = 'fixture-passphrase';
const STATE_HASH = '289dbaafb413193f26fafa09c05375703d5a2f73fb3ac59e49fd92827fb79841';
const COUNTS = { datasets: 2, locations: 19, configurations: 2, settings: 1, events: 21 };
const CAPITALS = '01a210a8-dc95-7108-b092-19fc7cd5cb63';
const NOTES = '01a210a8-dcbc-737f-901e-a787e78773e7';

const FILES = [
  { name: 'v1-plain.gvbk', sha256: '30de1084075b3007ab93a8c6f1a31110d6680cdeca5809d078aee9452b0b38de', size: 4411, createdAt: '2026-11-25T03:03:51.957Z', encrypted: false },
  { name: 'v1-encrypted.gvbk', sha256: '2244c3a03c2f0605fab6fc566bf2f6506797f649769738e72ad21bd11533cb18', size: 4603, createdAt: '2026-11-25T03:03:52.066Z', encrypted: true },
];

const DATASETS = [
  {
    id: CAPITALS,
    name: 'Capitals',
    description: 'imported from capitals.csv',
    color: '#1f77b4',
    visible: true,
    source: { fileName: 'capitals.csv', format: 'csv' },
    columnMapping: { quantity: 'population', label: 'country' },
    created_at: '2026-11-25T03:03:51.703Z',
    updated_at: '2026-11-25T03:03:51.762Z',
    locationCount: 12,
  },
  {
    id: NOTES,
    name: 'Field notes',
    description: 'hand-entered survey points',
    color: '#3b82f6',
    visible: false,
    source: null,
    columnMapping: {},
    created_at: '2026-11-25T03:03:51.741Z',
    updated_at: '2026-11-25T03:03:51.918Z',
    locationCount: 7,
  },
];

const SETTINGS = { ...DEFAULT_SETTINGS, theme: 'dark', language: 'fr', globeStyle: 'night', autoRotate: false, rotationSpeed: 1.5, showQuantityVisualization: false };

const CONFIGURATIONS = [
  { id: 'big-cities', kind: 'filter', name: 'Big cities', value: { minPopulation: 1000000, countries: ['France', 'Japan'] }, created_at: '2026-11-25T03:03:51.944Z', updated_at: '2026-11-25T03:03:51.944Z' },
  { id: 'home-view', kind: 'camera-view', name: 'Home', value: { lat: 48.85, lng: 2.35, altitude: 1.8 }, created_at: '2026-11-25T03:03:51.940Z', updated_at: '2026-11-25T03:03:51.940Z' },
];

const SOME_LOCATIONS = [
  {
    id: '01a210a8-dce6-73e9-8313-65b0c26fe393',
    datasetId: CAPITALS,
    name: 'Paris (Île-de-France)',
    latitude: 48.8566,
    longitude: 2.3522,
    properties: { population: 2148000, country: 'France', capital: true, founded: -250, notes: 'on the Seine, since antiquity' },
    created_at: '2026-11-25T03:03:51.762Z',
    updated_at: '2026-11-25T03:03:51.896Z',
  },
  {
    id: '01a210a8-dce6-73e9-8313-91292b0a6b1c',
    datasetId: CAPITALS,
    name: 'Québec',
    latitude: 46.8139,
    longitude: -71.208,
    properties: { population: 549000, country: 'Canada', capital: false, founded: 1608, notes: 'provincial, not federal' },
    created_at: '2026-11-25T03:03:51.762Z',
    updated_at: '2026-11-25T03:03:51.762Z',
  },
  {
    id: 'note-1',
    datasetId: NOTES,
    name: 'Note 1 — “field” ä',
    latitude: -46.5,
    longitude: 128.75,
    quantity: 2.5,
    properties: { author: 'ana', tags: ['survey', 'n1'], reading: { value: 0.125, unit: 'm' }, checked: false },
    created_at: '2026-11-25T03:03:51.813Z',
    updated_at: '2026-11-25T03:03:51.813Z',
  },
  {
    id: 'note-3',
    datasetId: NOTES,
    name: 'Note 3 — “field” äöü',
    latitude: -19.5,
    longitude: 46.25,
    properties: { author: 'cy', edited: true, tags: [] },
    created_at: '2026-11-25T03:03:51.835Z',
    updated_at: '2026-11-25T03:03:51.903Z',
  },
];

const HISTORY_TYPES = [
  'DatasetCreated',
  'DatasetCreated',
  'RestorePointCreated',
  'LocationsAdded',
  'DatasetImported',
  ...Array(8).fill('LocationsAdded'),
  'LocationUpdated',
  'LocationUpdated',
  'LocationsRemoved',
  'DatasetUpdated',
  'SettingsChanged',
  'SettingsChanged',
  'ConfigurationSaved',
  'ConfigurationSaved',
];

describe.each(FILES)('the format version 1 fixture $name (e2e)', (fixture) => {
  let t: TestApp;
  beforeAll(async () => {
    // drills of encrypted backups use BACKUP_PASSPHRASE
    t = await startApp({ BACKUP_PASSPHRASE: PASSPHRASE });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is byte for byte the committed file, uploads, restores whole on a fresh instance to exactly its recorded state, and passes a drill', async () => {
    const http = t.http;
    const file = readFileSync(join(FIXTURES, fixture.name));
    // never regenerated (README.md)
    expect({ size: file.length, sha256: sha256(file) }).toEqual({ size: fixture.size, sha256: fixture.sha256 });

    const up = await upload(http, file, fixture.encrypted ? PASSPHRASE : undefined);
    expectStatus(up, 201, `upload ${fixture.name}`);
    expect(up.body).toMatchObject({
      kind: 'uploaded',
      createdAt: fixture.createdAt,
      size: fixture.size,
      counts: COUNTS,
      format: 'native',
      compression: 'gzip',
      encrypted: fixture.encrypted,
      headPosition: 21,
      stateHash: STATE_HASH,
      includesHistory: true,
      lastVerifyResult: 'ok',
    });
    const verified = await http.post(`/api/backups/${up.body.id}/verify`).send(fixture.encrypted ? { passphrase: PASSPHRASE } : {});
    expect({ ok: verified.body.ok, contentChecked: verified.body.contentChecked, restorable: verified.body.restorable }).toEqual({
      ok: true,
      contentChecked: true,
      restorable: { state: true, history: true },
    });
    expect(verified.body.manifest).toMatchObject({ formatVersion: 1, appVersion: '0.1.0', headRecordedAt: '2026-11-25T03:03:51.944Z' });

    const target = { backupId: up.body.id, ...(fixture.encrypted ? { passphrase: PASSPHRASE } : {}) };
    const pv = await preview(http, { target });
    expect(pv.counts).toEqual(counts({ datasets: { added: 2 }, locations: { added: 19 }, configurations: { added: 2 }, settings: { changed: 6 } }));
    await restore(http, { previewToken: pv.previewToken, ...(fixture.encrypted ? { passphrase: PASSPHRASE } : {}) });

    // exactly the recorded state
    expect((await getJson(http, '/api/datasets')).items).toEqual(DATASETS);
    const locations = await allLocations(http);
    expect(locations).toHaveLength(19);
    for (const l of SOME_LOCATIONS) expect(locations.find((x) => x.id === l.id)).toEqual(l);
    expect(locations.filter((l) => l.datasetId === NOTES).map((l) => l.id).sort()).toEqual(['note-1', 'note-2', 'note-3', 'note-4', 'note-5', 'note-6', 'note-7']);
    expect(locations.filter((l) => l.datasetId === CAPITALS).map((l) => l.name).sort()).toEqual(
      ['Berlin', 'Canberra', 'Lima', 'Lisbon', 'Madrid', 'Nairobi', 'Paris (Île-de-France)', 'Québec', 'Reykjavík', 'Rome', 'Tokyo', 'Vienna'].sort(),
    );
    expect(await getJson(http, '/api/settings')).toEqual(SETTINGS);
    expect((await getJson(http, '/api/configurations')).items).toEqual(CONFIGURATIONS);
    expect((await getJson(http, '/api/state')).counts).toEqual({ datasets: 2, locations: 19, configurations: 2 });
    // the history came with it
    const audit = await allAudit(http);
    expect(audit.slice(0, 21).map((e) => e.type)).toEqual(HISTORY_TYPES);
    expect(audit.slice(0, 21).every((e) => e.metadata.actor === 'fixture-author')).toBe(true);

    // the restored state hashes to what the file recorded
    expect((await backupNow(http, { includeHistory: false })).view.stateHash).toBe(STATE_HASH);
    const drill = await http.post(`/api/backups/${up.body.id}/drill`);
    expectStatus(drill, 200, 'drill');
    expect({ ok: drill.body.ok, expected: drill.body.expectedStateHash, restored: drill.body.restoredStateHash, error: drill.body.error }).toEqual({
      ok: true,
      expected: STATE_HASH,
      restored: STATE_HASH,
      error: null,
    });
  });
});
