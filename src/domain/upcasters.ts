import { EventType, eventSchemaVersions } from './events';

/** Lifts a payload stored at `version` to `version + 1`. */
export type Upcaster = (data: unknown) => unknown;

/**
 * Upcasters by type and by the version they lift from. None yet: every type is at version 1.
 * When a schema changes, add `{[oldVersion]: fn}` here and bump eventSchemaVersions.
 */
export const upcasters: Partial<Record<EventType, Record<number, Upcaster>>> = {};

/**
 * Brings a stored payload up to the current schema version, one step at a time. A payload from a
 * future version (written by a newer app) cannot be read safely and is refused, never guessed at.
 */
export function upcast(
  type: EventType,
  storedVersion: number,
  data: unknown,
  table: Partial<Record<EventType, Record<number, Upcaster>>> = upcasters,
  current: number = eventSchemaVersions[type],
): unknown {
  if (storedVersion > current) {
    throw new Error(`event ${type} has schema version ${storedVersion}, newer than this app's ${current}`);
  }
  let value = data;
  for (let v = storedVersion; v < current; v++) {
    const step = table[type]?.[v];
    if (!step) throw new Error(`no upcaster for ${type} from version ${v}`);
    value = step(value);
  }
  return value;
}
