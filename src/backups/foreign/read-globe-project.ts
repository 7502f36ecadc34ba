import { isJsonObject } from '../../imports/parsing/is-json-object';
import { BackupRecord } from '../format/backup-record';
import { checkForeignRecord } from './check-foreign-record';
import { foreignMalformed } from './foreign-errors';
import { fileTime, foreignDataset, ForeignImportInfo } from './foreign-import-info';
import { foreignLocationRecord, hasOwnTimes, locationElement } from './foreign-location';
import { GLOBE_UI_SETTINGS_KEYS, overlaySettings } from './foreign-settings';
import { fromGlobeColumnMapping } from './globe-column-mapping';
import { readJsonSections, SectionPlan } from './json-sections';

const PLAN: SectionPlan = { streamed: ['locations'], assembled: ['columnMapping', 'uiSettings', 'metadata'] };
const SMALL_SECTIONS = new Set(PLAN.assembled);

/**
 * The records of a Globe app "Save Project" file (`{locations, columnMapping, uiSettings, metadata}`),
 * streamed: one location in memory at a time. Yields, in no particular order:
 * - one location per element of `locations`, in dataset `info.datasetId`: id kept exactly (a number
 *   becomes its string), every member other than the named fields a property as it is (see
 *   foreign-location.ts; `properties.<name>` members, our escape for clashing names, are undone);
 *   created_at/updated_at when the location has them, else `metadata.timestamp`, else `info.now`;
 * - one dataset: `info.datasetId`, `info.datasetName`, the file's columnMapping channels that are
 *   strings, created at `metadata.timestamp` (else `info.now`);
 * - one settings record: DEFAULT_SETTINGS overlaid with the six Globe UI keys of `uiSettings` whose
 *   values are valid (others are left out, not failed).
 *
 * Failures: not a JSON object, no `locations` array, a section of the wrong type, or malformed JSON
 * → `BACKUP.FOREIGN_MALFORMED`; a location that fails our schema → `BACKUP.FOREIGN_RECORD_INVALID`
 * with details {section, index, path, message}. Either can come after records were yielded: the
 * caller keeps nothing from a file whose iteration did not complete.
 *
 * The Globe app writes `metadata` after `locations`, so a location without its own timestamps cannot
 * be finished when it is read; such locations are validated then, and yielded from a second pass
 * over the file once `metadata` is known. Files the Globe app saved never need it.
 */
export async function* readGlobeProject(path: string, info: ForeignImportInfo): AsyncGenerator<BackupRecord> {
  const small: Record<string, unknown> = {};
  let hasLocations = false;
  let deferred = 0;
  /** The time for locations without their own, once `metadata` has been read. */
  let time: string | undefined;
  for await (const item of readJsonSections(path, PLAN)) {
    if (SMALL_SECTIONS.has(item.section)) {
      if (item.kind !== 'value' || !isJsonObject(item.value)) throw foreignMalformed(`"${item.section}" is not an object`, { section: item.section });
      small[item.section] = item.value;
      if (item.section === 'metadata') time = metadataTime(item.value, info);
    } else if (item.kind === 'value') {
      throw foreignMalformed('"locations" is not an array', { section: 'locations' });
    } else {
      hasLocations = true;
      if (item.kind !== 'element') continue;
      const element = locationElement(item.value, item.index);
      if (time === undefined && !hasOwnTimes(element)) {
        deferred++;
        foreignLocationRecord(element, item.index, 'flat', info.datasetId, info.now);
      } else {
        yield foreignLocationRecord(element, item.index, 'flat', info.datasetId, time ?? info.now);
      }
    }
  }
  if (!hasLocations) throw foreignMalformed('it has no "locations" array', { section: 'locations' });
  time ??= info.now;
  yield checkForeignRecord({ t: 'dataset', v: foreignDataset(info, fromGlobeColumnMapping(small.columnMapping), time) }, 'columnMapping', null);
  yield checkForeignRecord({ t: 'settings', v: overlaySettings(small.uiSettings, GLOBE_UI_SETTINGS_KEYS) }, 'uiSettings', null);
  if (deferred > 0) yield* locationsWithoutTimes(path, info.datasetId, time);
}

function metadataTime(metadata: Record<string, unknown>, info: ForeignImportInfo): string {
  return fileTime(metadata.timestamp) ?? info.now;
}

/** Second pass: the locations the first deferred (all those without both timestamps), now given `time`. */
async function* locationsWithoutTimes(path: string, datasetId: string, time: string): AsyncGenerator<BackupRecord> {
  for await (const item of readJsonSections(path, { streamed: ['locations'], assembled: [] })) {
    if (item.kind === 'end') return;
    if (item.kind !== 'element') continue;
    const element = locationElement(item.value, item.index);
    if (!hasOwnTimes(element)) yield foreignLocationRecord(element, item.index, 'flat', datasetId, time);
  }
}
