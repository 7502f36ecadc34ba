import { z } from 'zod';
import { eventSchemas, eventSchemaVersions, isEventType } from '../../domain/events';
import { upcast } from '../../domain/upcasters';
import { BackupRecord, backupRecordSchema } from './backup-record';

export type RecordCheck = { ok: true; record: BackupRecord } | { ok: false; path: string; message: string };

/**
 * Validates one record against its schema; an event's payload is also brought up to this app's
 * schema version of its type (domain/upcasters.ts) and validated against it, so what comes out is
 * an event as the log holds it today. Used by the writer and the reader alike.
 */
export function checkRecord(value: unknown): RecordCheck {
  const parsed = backupRecordSchema.safeParse(value);
  if (!parsed.success) return firstIssue(parsed.error);
  const record = parsed.data;
  return record.t === 'event' ? checkEvent(record) : { ok: true, record };
}

function checkEvent(record: Extract<BackupRecord, { t: 'event' }>): RecordCheck {
  const { type, schemaVersion } = record.v;
  if (!isEventType(type)) return { ok: false, path: 'v.type', message: `unknown event type ${type}` };
  let data: unknown;
  try {
    data = upcast(type, schemaVersion, record.v.data);
  } catch (error) {
    return { ok: false, path: 'v.schemaVersion', message: (error as Error).message };
  }
  const checked = eventSchemas[type].safeParse(data);
  if (!checked.success) return firstIssue(checked.error, 'v.data');
  return { ok: true, record: { t: 'event', v: { ...record.v, schemaVersion: eventSchemaVersions[type], data: checked.data } } };
}

function firstIssue(error: z.ZodError, prefix?: string): RecordCheck {
  const issue = error.issues[0];
  const path = [...(prefix ? [prefix] : []), ...issue.path.map(String)].join('.');
  return { ok: false, path, message: issue.message };
}
