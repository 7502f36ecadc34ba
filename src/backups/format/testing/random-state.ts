import fc from 'fast-check';
import { DEFAULT_SETTINGS } from '../../../domain/settings';
import { BackupRecord } from '../backup-record';

/** Random states for the backup format, as fast-check arbitraries. */

const iso = fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
const anyText = (maxLength: number) => fc.oneof(fc.string({ maxLength }), fc.string({ unit: 'binary', maxLength }));
const properties = fc.dictionary(anyText(12), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 });
const ids = (maxLength: number) => fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { maxLength }).map((a) => [...a].sort());

const dataset = (id: string) =>
  fc.record({
    id: fc.constant(id),
    name: fc.string({ minLength: 1, maxLength: 30 }),
    description: anyText(60),
    color: fc.constantFrom('#3b82f6', '#ff0000', '#00AA11'),
    visible: fc.boolean(),
    source: fc.option(fc.record({ fileName: fc.option(fc.string({ maxLength: 20 })), format: fc.constantFrom('csv', 'json', 'geojson') }), { nil: null }),
    columnMapping: fc.record({ quantity: fc.option(fc.string({ maxLength: 10 }), { nil: null }), label: fc.string({ maxLength: 10 }) }, { requiredKeys: [] }),
    created_at: iso,
    updated_at: iso,
  });

const location = (id: string, datasetIds: string[]) =>
  fc.record(
    {
      id: fc.constant(id),
      datasetId: fc.constantFrom(...datasetIds),
      name: anyText(40),
      latitude: fc.double({ min: -90, max: 90, noNaN: true }),
      longitude: fc.double({ min: -180, max: 180, noNaN: true }),
      quantity: fc.double({ noNaN: true, noDefaultInfinity: true }),
      properties,
      created_at: iso,
      updated_at: iso,
    },
    { requiredKeys: ['id', 'datasetId', 'name', 'latitude', 'longitude', 'properties', 'created_at', 'updated_at'] },
  );

const configuration = (id: string) =>
  fc.record({
    id: fc.constant(id),
    kind: fc.constantFrom('camera-view', 'filter', 'layers', 'visualization', 'column-mapping', 'other'),
    name: fc.string({ minLength: 1, maxLength: 30 }),
    value: fc.jsonValue({ maxDepth: 4 }),
    created_at: iso,
    updated_at: iso,
  });

const settings = fc.record({ theme: fc.constantFrom('light', 'dark', 'system'), rotationSpeed: fc.double({ min: 0, max: 10, noNaN: true }) }).map((s) => ({ ...DEFAULT_SETTINGS, ...s }));

const events = fc.array(
  fc.oneof(
    fc.record({ type: fc.constant('DatasetDeleted'), data: fc.record({ datasetId: fc.string({ minLength: 1, maxLength: 10 }) }) }),
    fc.record({ type: fc.constant('SettingsChanged'), data: fc.record({ patch: fc.record({ theme: fc.constantFrom('light', 'dark') }) }) }),
    fc.record({ type: fc.constant('ConfigurationDeleted'), data: fc.record({ configurationId: fc.string({ minLength: 1, maxLength: 10 }) }) }),
  ),
  { maxLength: 8 },
);

export interface RandomState {
  records: BackupRecord[];
  includesHistory: boolean;
}

/** A whole state in file order: datasets with their locations, settings or not, configurations, and maybe a history. */
export const randomState: fc.Arbitrary<RandomState> = fc
  .tuple(ids(4), ids(25), ids(4), fc.boolean(), fc.boolean())
  .chain(([datasetIds, locationIds, configurationIds, withSettings, includesHistory]) =>
    fc.tuple(
      fc.tuple(...datasetIds.map(dataset)),
      datasetIds.length ? fc.tuple(...locationIds.map((id) => location(id, datasetIds))) : fc.constant([]),
      withSettings ? settings.map((s) => [s]) : fc.constant([]),
      fc.tuple(...configurationIds.map(configuration)),
      includesHistory ? events : fc.constant([]),
      fc.constant(includesHistory),
    ),
  )
  .map(([datasets, locations, settingsRecords, configurations, history, includesHistory]) => ({
    includesHistory,
    records: [
      ...datasets.map((v) => ({ t: 'dataset', v })),
      ...locations.map((v) => ({ t: 'location', v })),
      ...settingsRecords.map((v) => ({ t: 'settings', v })),
      ...configurations.map((v) => ({ t: 'configuration', v })),
      ...history.map((e, i) => ({
        t: 'event',
        v: { position: i + 1, eventId: `e${i + 1}`, stream: 'globe', revision: i, schemaVersion: 1, ...e, metadata: { actor: 'test' }, recordedAt: '2024-01-01T00:00:00.000Z' },
      })),
    ] as BackupRecord[],
  }));

