import { isJsonObject } from '../../imports/parsing/is-json-object';
import { BackupRecord } from '../format/backup-record';
import { checkForeignRecord } from './check-foreign-record';
import { foreignMalformed, foreignRecordInvalid } from './foreign-errors';
import { fileTime, foreignDataset, ForeignImportInfo } from './foreign-import-info';
import { foreignLocationRecord, hasOwnTimes, locationElement } from './foreign-location';
import { overlaySettings } from './foreign-settings';
import { readJsonSections, SectionItem, SectionPlan } from './json-sections';

const PLAN: SectionPlan = { streamed: ['datasets', 'locations', 'configurations'], assembled: ['settings', 'timestamp'] };

/**
 * The records of a BackupData document (`{version, timestamp, metadata, locations, settings,
 * configurations}`, plus our `datasets`), streamed: one element in memory at a time. Yields, in no
 * particular order:
 * - every dataset as given (our Dataset schema; an id twice is refused);
 * - every location: ours (`properties` object, `datasetId`) or the Globe app's flat shape (other
 *   members become properties); created_at/updated_at default to the document's `timestamp`, else
 *   `info.now`. A location whose `datasetId` names none of the file's datasets (or has none) goes to
 *   dataset `info.datasetId`, which is then yielded too (named `info.datasetName`), unless the file
 *   has a dataset of that id;
 * - one settings record: DEFAULT_SETTINGS overlaid with the valid keys of `settings` (DEFAULT_SETTINGS
 *   when there is none);
 * - every configuration as given (our Configuration schema; an id twice is refused). A
 *   `configurations` object, which is how the request's UserConfigurations may look, becomes one
 *   configuration of kind `other` per member, named and identified by its key.
 * `version` and `metadata` are not needed and not checked.
 *
 * Failures as readGlobeProject's: `BACKUP.FOREIGN_MALFORMED` (not a JSON object, no `locations`
 * array, a section of the wrong type, malformed JSON), `BACKUP.FOREIGN_RECORD_INVALID` {section,
 * index, path, message} for a record that fails our schema; possibly after records were yielded.
 *
 * A location read before the file's `datasets` (when it names a dataset) or before its `timestamp`
 * (when it lacks a time of its own) cannot be finished then; it is validated, and yielded from a
 * second pass over the file. Our own export writes both first, so it is read in one pass.
 */
export async function* readBackupData(path: string, info: ForeignImportInfo): AsyncGenerator<BackupRecord> {
  const reading = new BackupDataReading(info);
  for await (const item of readJsonSections(path, PLAN)) {
    const record = reading.take(item);
    if (record) yield record;
  }
  yield* reading.finish();
  if (reading.deferred > 0) {
    for await (const item of readJsonSections(path, { streamed: ['locations'], assembled: [] })) {
      if (item.kind === 'end') break;
      if (item.kind === 'element') {
        const record = reading.deferredLocation(item.value, item.index);
        if (record) yield record;
      }
    }
  }
  if (reading.needsDefaultDataset) yield checkForeignRecord({ t: 'dataset', v: foreignDataset(info, {}, reading.time) }, 'datasets', null);
}

/** What has been read of the file so far, and the record each item makes. */
class BackupDataReading {
  deferred = 0;
  private sentToDefault = false;
  private readonly datasetIds = new Set<string>();
  private readonly configurationIds = new Set<string>();
  private datasetsRead = false;
  private timestampRead = false;
  private timestamp: string | undefined;
  private hasLocations = false;
  private settings: unknown;
  private configurationsObject: Record<string, unknown> | undefined;
  /** Whether datasets and the timestamp were known while the locations were read (both are before or after all of them). */
  private knownAtLocations = { datasets: false, timestamp: false };

  constructor(private readonly info: ForeignImportInfo) {}

  /** Whether a location went to info's dataset and the file has none of that id (known once the datasets are read). */
  get needsDefaultDataset(): boolean {
    return this.sentToDefault && !this.datasetIds.has(this.info.datasetId);
  }

  get time(): string {
    return this.timestamp ?? this.info.now;
  }

  take(item: SectionItem): BackupRecord | undefined {
    switch (item.section) {
      case 'timestamp':
        this.timestampRead = true;
        this.timestamp = item.kind === 'value' ? fileTime(item.value) : undefined;
        return undefined;
      case 'settings':
        if (item.kind !== 'value' || !isJsonObject(item.value)) throw foreignMalformed('"settings" is not an object', { section: 'settings' });
        this.settings = item.value;
        return undefined;
      case 'datasets':
        if (item.kind === 'value') throw foreignMalformed('"datasets" is not an array', { section: 'datasets' });
        if (item.kind === 'end') this.datasetsRead = true;
        return item.kind === 'element' ? this.dataset(item.value, item.index) : undefined;
      case 'locations':
        if (item.kind === 'value') throw foreignMalformed('"locations" is not an array', { section: 'locations' });
        if (!this.hasLocations) this.knownAtLocations = { datasets: this.datasetsRead, timestamp: this.timestampRead };
        this.hasLocations = true;
        return item.kind === 'element' ? this.location(item.value, item.index) : undefined;
      default:
        return this.configuration(item);
    }
  }

  /** The records known only at the end of the first pass: settings, and configurations given as an object. */
  *finish(): Generator<BackupRecord> {
    if (!this.hasLocations) throw foreignMalformed('it has no "locations" array', { section: 'locations' });
    yield checkForeignRecord({ t: 'settings', v: overlaySettings(this.settings) }, 'settings', null);
    const entries = Object.entries(this.configurationsObject ?? {});
    for (const [index, [key, value]] of entries.entries()) {
      const configuration = { id: key, kind: 'other', name: key, value, created_at: this.time, updated_at: this.time };
      yield checkForeignRecord({ t: 'configuration', v: configuration }, 'configurations', index);
    }
  }

  /** Second pass: a location the first pass deferred, now finished; undefined for the others. */
  deferredLocation(value: unknown, index: number): BackupRecord | undefined {
    const element = locationElement(value, index);
    if (!this.mustWait(element)) return undefined;
    return foreignLocationRecord(element, index, 'bag', this.datasetOf(element), this.time);
  }

  private dataset(value: unknown, index: number): BackupRecord {
    const record = checkForeignRecord({ t: 'dataset', v: value }, 'datasets', index);
    if (this.datasetIds.has(record.v.id)) throw foreignRecordInvalid('datasets', index, 'id', `the id "${record.v.id}" appears twice`);
    this.datasetIds.add(record.v.id);
    return record;
  }

  private location(value: unknown, index: number): BackupRecord | undefined {
    const element = locationElement(value, index);
    if (!this.mustWait(element)) return foreignLocationRecord(element, index, 'bag', this.datasetOf(element), this.time);
    this.deferred++;
    foreignLocationRecord(element, index, 'bag', this.info.datasetId, this.info.now);
    return undefined;
  }

  private mustWait(element: Record<string, unknown>): boolean {
    const namesDataset = typeof element.datasetId === 'string' && element.datasetId !== '';
    return (namesDataset && !this.knownAtLocations.datasets) || (!hasOwnTimes(element) && !this.knownAtLocations.timestamp);
  }

  private datasetOf(element: Record<string, unknown>): string {
    const { datasetId } = element;
    if (typeof datasetId === 'string' && this.datasetIds.has(datasetId)) return datasetId;
    this.sentToDefault = true;
    return this.info.datasetId;
  }

  private configuration(item: SectionItem): BackupRecord | undefined {
    if (item.kind === 'end') return undefined;
    if (item.kind === 'value') {
      if (!isJsonObject(item.value)) throw foreignMalformed('"configurations" is neither an array nor an object', { section: 'configurations' });
      this.configurationsObject = item.value;
      return undefined;
    }
    const record = checkForeignRecord({ t: 'configuration', v: item.value }, 'configurations', item.index);
    if (this.configurationIds.has(record.v.id)) throw foreignRecordInvalid('configurations', item.index, 'id', `the id "${record.v.id}" appears twice`);
    this.configurationIds.add(record.v.id);
    return record;
  }
}
