import { z } from 'zod';
import { configurationSchema } from '../../domain/configuration';
import { datasetSchema } from '../../domain/dataset';
import { locationSchema } from '../../domain/location';
import { settingsSchema } from '../../domain/settings';

/**
 * One NDJSON line of a native backup's payload. Order in a file: every dataset (by id), every
 * location (by id), the settings, every configuration (by id), then, when the backup includes the
 * history, every event (by position). That order is what the manifest's stateHash is computed over
 * (domain/state-hash.ts), so a reader can recompute it while streaming.
 */
export const backupRecordSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('dataset'), v: datasetSchema }),
  z.object({ t: z.literal('location'), v: locationSchema.extend({ datasetId: z.string().min(1).max(200) }) }),
  z.object({ t: z.literal('settings'), v: settingsSchema }),
  z.object({ t: z.literal('configuration'), v: configurationSchema }),
  z.object({
    t: z.literal('event'),
    v: z.object({
      position: z.number().int().min(1),
      eventId: z.string().min(1),
      stream: z.string().min(1),
      revision: z.number().int().min(0),
      type: z.string().min(1),
      schemaVersion: z.number().int().min(1),
      data: z.unknown(),
      metadata: z.record(z.string(), z.unknown()),
      recordedAt: z.string(),
      /** The event's chain hash as the log stored it (absent from backups older than the chain); adoption checks it. */
      hash: z.string().regex(/^[0-9a-f]{64}$/).optional(),
    }),
  }),
]);
export type BackupRecord = z.infer<typeof backupRecordSchema>;
export type BackupRecordKind = BackupRecord['t'];

/** Records already serialized by their source (rows copied as stored), checked by the writer as it checks every line. */
export type { RecordLines } from '../../projections/state-records';
