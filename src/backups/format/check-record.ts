import { z } from 'zod';
import { eventSchemas, eventSchemaVersions, isEventType } from '../../domain/events';
import { exactEventChecks, isExactLocationRecord } from '../../events/exact-event-checks';
import { upcast } from '../../domain/upcasters';
import { BackupRecord, backupRecordSchema } from './backup-record';
import { RecordSequence } from './record-sequence';

export type RecordCheck = { ok: true; record: BackupRecord } | { ok: false; path: string; message: string };

/**
 * Validates one record against its schema; an event's payload is also brought up to this app's
 * schema version of its type (domain/upcasters.ts) and validated against it, so what comes out is
 * an event as the log holds it today. Used by the writer and the reader alike.
 */
export function checkRecord(value: unknown, options: RecordCheckOptions = {}): RecordCheck {
  // The common case, checked by hand where zod would return it unchanged (exact-event-checks.ts).
  if (isExactLocationRecord(value)) return { ok: true, record: value as BackupRecord };
  const parsed = backupRecordSchema.safeParse(value);
  if (!parsed.success) return firstIssue(parsed.error);
  const record = parsed.data;
  if (record.t !== 'event') return { ok: true, record };
  return options.eventData === false ? checkEventFrame(record) : checkEvent(record);
}

export interface RecordCheckOptions {
  /**
   * False: an event's payload is not upcast nor validated, only its frame (type, a schema version
   * this app knows, the envelope's fields). For a writer copying the log's rows as stored: the log
   * validated each payload on append, and every reader validates it again on read. Default true.
   */
  eventData?: boolean;
}

function checkEventFrame(record: Extract<BackupRecord, { t: 'event' }>): RecordCheck {
  const { type, schemaVersion } = record.v;
  if (!isEventType(type)) return { ok: false, path: 'v.type', message: `unknown event type ${type}` };
  if (schemaVersion > eventSchemaVersions[type]) return { ok: false, path: 'v.schemaVersion', message: `schema version ${schemaVersion} of ${type} is newer than this app's ${eventSchemaVersions[type]}` };
  return { ok: true, record };
}

function checkEvent(record: Extract<BackupRecord, { t: 'event' }>): RecordCheck {
  const { type, schemaVersion } = record.v;
  if (!isEventType(type)) return { ok: false, path: 'v.type', message: `unknown event type ${type}` };
  // Data of this app's version that its exact check passes is what zod would return (exact-event-checks.ts).
  if (schemaVersion === eventSchemaVersions[type] && exactEventChecks[type]?.(record.v.data)) return { ok: true, record };
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

/**
 * One NDJSON line of a payload as a reader takes it: parsed, checked (checkRecord), then added to
 * `sequence` (order, counts, state hash). The writer's check thread and every reader go through this.
 */
export function checkRecordLine(text: string, sequence: RecordSequence, options?: RecordCheckOptions): RecordCheck {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, path: '', message: `not JSON (${(error as Error).message})` };
  }
  const checked = checkRecord(value, options);
  if (!checked.ok) return checked;
  const outOfOrder = sequence.add(value as BackupRecord);
  return outOfOrder ? { ok: false, path: '', message: outOfOrder } : checked;
}
