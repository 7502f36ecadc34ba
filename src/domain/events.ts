import { z } from 'zod';
import { datasetChangesSchema, datasetSchema, datasetSourceSchema } from './dataset';
import { configurationSchema } from './configuration';
import { isoTimeSchema, latitudeSchema, locationIdSchema, locationSchema, longitudeSchema, propertiesSchema } from './location';
import { backupSchedulesSchema } from './backup-schedule';
import { conflictStrategySchema, restoreCountsSchema, restoreScopeSchema, restoreTargetSchema } from './restore';
import { settingsPatchSchema } from './settings';
import { retentionPolicySchema } from './snapshot-retention';

/** Bulk writes are chunked so that every event stays small enough to replay quickly. */
export const MAX_LOCATIONS_PER_EVENT = 1000;

const datasetId = z.string().min(1).max(200);

const locationChangesSchema = z
  .object({
    name: z.string().max(1000),
    latitude: latitudeSchema,
    longitude: longitudeSchema,
    quantity: z.number().nullable(),
    properties: propertiesSchema,
  })
  .partial();

/**
 * The event catalog: one zod schema per event type, each at a schema version. Past events are
 * never rewritten: when a schema changes, its version goes up and an upcaster (see upcasters.ts)
 * lifts older payloads on read.
 */
export const eventSchemas = {
  DatasetCreated: z.object({ dataset: datasetSchema }),
  // `source` changes only through restores (a user edits the other fields). `before` (optional in
  // every *Updated/*Changed/*Saved type: events written before it existed lack it, and restores'
  // compensating events leave it out) holds the changed fields' values just before, so the audit
  // trail shows a change as before → after without replaying the log.
  DatasetUpdated: z.object({
    datasetId,
    changes: datasetChangesSchema.extend({ source: datasetSourceSchema.nullable().optional() }),
    before: datasetChangesSchema.extend({ source: datasetSourceSchema.nullable().optional() }).optional(),
    updated_at: isoTimeSchema,
  }),
  DatasetDeleted: z.object({ datasetId }),
  DatasetImported: z.object({
    datasetId,
    importId: z.string().min(1).max(200),
    source: datasetSourceSchema,
    rowsRead: z.number().int().min(0),
    locationsWritten: z.number().int().min(0),
    rowsSkipped: z.number().int().min(0),
    duplicates: z.object({ skipped: z.number().int().min(0), replaced: z.number().int().min(0), renamed: z.number().int().min(0) }),
    updated_at: isoTimeSchema,
  }),
  LocationsAdded: z.object({ datasetId, locations: z.array(locationSchema).min(1).max(MAX_LOCATIONS_PER_EVENT) }),
  LocationUpdated: z.object({
    datasetId,
    locationId: locationIdSchema,
    changes: locationChangesSchema,
    before: locationChangesSchema.optional(),
    updated_at: isoTimeSchema,
  }),
  LocationsRemoved: z.object({ datasetId, locationIds: z.array(locationIdSchema).min(1).max(MAX_LOCATIONS_PER_EVENT) }),
  SettingsChanged: z.object({ patch: settingsPatchSchema, before: settingsPatchSchema.optional() }),
  /** `before`: the configuration this one replaced, when it replaced one. */
  ConfigurationSaved: z.object({ configuration: configurationSchema, before: configurationSchema.optional() }),
  ConfigurationDeleted: z.object({ configurationId: z.string().min(1).max(200) }),
  // Markers around a restore's compensating events; they change no Globe data themselves.
  RestoreStarted: z.object({
    restoreId: z.string().min(1).max(200),
    target: restoreTargetSchema,
    scope: restoreScopeSchema,
    strategy: conflictStrategySchema,
    /** The head position the restore was computed at; the log is unchanged up to here. */
    basePosition: z.number().int().min(0),
    undoOf: z.string().max(200).nullable(),
  }),
  RestoreCompleted: z.object({
    restoreId: z.string().min(1).max(200),
    counts: restoreCountsSchema,
  }),
  RestorePointCreated: z.object({
    restorePointId: z.string().min(1).max(200),
    name: z.string().min(1).max(200),
    description: z.string().max(2000),
    /** The last position the point includes. */
    position: z.number().int().min(0),
    automatic: z.boolean(),
  }),
  /** Compaction removed these snapshots (caches only: the log still holds every event they summarised). */
  SnapshotsCompacted: z.object({
    removed: z.array(z.object({ snapshotId: z.string(), position: z.number().int().min(0) })),
    kept: z.number().int().min(0),
    policy: retentionPolicySchema,
  }),
  /** Opt-in log compaction removed the events up to a position; they live on in a verified backup. */
  LogCompacted: z.object({
    upToPosition: z.number().int().min(1),
    eventsRemoved: z.number().int().min(0),
    baseSnapshotId: z.string(),
    backup: z.object({ id: z.string(), key: z.string(), storage: z.string(), headPosition: z.number().int() }),
  }),
  /** The automatic backup schedules, retention and drills were set (the whole document). */
  BackupSchedulesChanged: z.object({ schedules: backupSchedulesSchema }),
} as const;

export type EventType = keyof typeof eventSchemas;
export const EVENT_TYPES = Object.keys(eventSchemas) as EventType[];

/** The current schema version of each type; bump together with an upcaster from the old one. */
export const eventSchemaVersions: Record<EventType, number> = {
  DatasetCreated: 1,
  DatasetUpdated: 1,
  DatasetDeleted: 1,
  DatasetImported: 1,
  LocationsAdded: 1,
  LocationUpdated: 1,
  LocationsRemoved: 1,
  SettingsChanged: 1,
  ConfigurationSaved: 1,
  ConfigurationDeleted: 1,
  RestoreStarted: 1,
  RestoreCompleted: 1,
  RestorePointCreated: 1,
  SnapshotsCompacted: 1,
  BackupSchedulesChanged: 1,
  LogCompacted: 1,
};

/** `{type, data}` for every type: the discriminated union the domain folds over. */
export type GlobeEvent = { [T in EventType]: { type: T; data: z.infer<(typeof eventSchemas)[T]> } }[EventType];
export type EventOf<T extends EventType> = Extract<GlobeEvent, { type: T }>;

export const isEventType = (type: string): type is EventType => Object.prototype.hasOwnProperty.call(eventSchemas, type);
