import { Writable } from 'node:stream';
import { DEFAULT_SETTINGS } from '../../domain/settings';
import { recordNotWritable } from '../format/backup-format-errors';
import { BackupRecord } from '../format/backup-record';
import { FOREIGN_FORMAT_VERSION, ForeignExportInfo } from './foreign-export-info';
import { TextSink, writeDocument } from './text-sink';

/** The document's sections in the order they are written, which is backup order. */
const SECTIONS = ['datasets', 'locations', 'settings', 'configurations'] as const;
const SECTION_OF: Record<Exclude<BackupRecord['t'], 'event'>, number> = { dataset: 0, location: 1, settings: 2, configuration: 3 };

/**
 * Writes the request's BackupData document, with our records as they are:
 * `{"version":"1.0","timestamp":…,"datasets":[Dataset…],"locations":[Location…],"settings":Settings,
 *   "configurations":[Configuration…],"metadata":{totalLocations, totalDatasets, totalConfigurations, appVersion, totalSize}}`.
 * Locations are our Location objects (with `datasetId` and `properties`). Streams every array, one
 * record at a time with backpressure; events are ignored.
 *
 * `metadata` comes last so it can carry exact counts, and `totalSize` is the byte size of the whole
 * document, metadata included (a fixed point: the number is found so that it counts its own digits).
 * JSON readers do not care about key order. With `datasetId`, only that dataset and its locations are
 * written; settings and configurations are app-wide and always are (DEFAULT_SETTINGS when no settings
 * record comes). Records must come in backup order (a dataset after a location is refused with
 * `BACKUP.RECORD_NOT_WRITABLE`, a bug of the caller). Ends `out` when complete; destroys it on failure.
 */
export function writeBackupData(
  records: AsyncIterable<BackupRecord>,
  out: Writable,
  info: ForeignExportInfo,
): Promise<{ totalLocations: number; totalSize: number }> {
  return writeDocument(out, async (sink) => {
    const writer = new SectionWriter(sink);
    await sink.write(`{"version":${JSON.stringify(FOREIGN_FORMAT_VERSION)},"timestamp":${JSON.stringify(info.timestamp)}`);
    const counts = { totalLocations: 0, totalDatasets: 0, totalConfigurations: 0 };
    for await (const record of records) {
      writer.records++;
      if (record.t === 'event') continue;
      if (record.t === 'dataset' && info.datasetId !== undefined && record.v.id !== info.datasetId) continue;
      if (record.t === 'location' && info.datasetId !== undefined && record.v.datasetId !== info.datasetId) continue;
      await writer.item(SECTION_OF[record.t], JSON.stringify(record.t === 'location' ? locationInKeyOrder(record.v) : record.v));
      if (record.t === 'dataset') counts.totalDatasets++;
      else if (record.t === 'location') counts.totalLocations++;
      else if (record.t === 'configuration') counts.totalConfigurations++;
    }
    await writer.enter(SECTIONS.length);
    const totalSize = await writeMetadata(sink, { ...counts, appVersion: info.appVersion });
    return { totalLocations: counts.totalLocations, totalSize };
  });
}

/** Opens and closes the sections as records arrive, writing empty ones for kinds that never come. */
class SectionWriter {
  records = 0;
  private section = -1;
  private items = 0;

  constructor(private readonly sink: TextSink) {}

  async item(section: number, json: string): Promise<void> {
    await this.enter(section);
    if (SECTIONS[section] === 'settings' && this.items > 0) throw recordNotWritable(this.records, '', 'a second settings record');
    await this.sink.write((this.items > 0 && SECTIONS[section] !== 'settings' ? ',' : '') + json);
    this.items++;
  }

  async enter(section: number): Promise<void> {
    if (section < this.section) {
      throw recordNotWritable(this.records, '', `a ${SECTIONS[section]} record after the ${SECTIONS[this.section]} (order: ${SECTIONS.join(', ')})`);
    }
    while (this.section < section) {
      if (this.section >= 0) await this.sink.write(this.closing());
      this.section++;
      this.items = 0;
      if (this.section < SECTIONS.length) await this.sink.write(this.opening());
    }
  }

  private opening(): string {
    const name = SECTIONS[this.section];
    return `,"${name}":${name === 'settings' ? '' : '['}`;
  }

  private closing(): string {
    if (SECTIONS[this.section] !== 'settings') return ']';
    return this.items === 0 ? JSON.stringify(DEFAULT_SETTINGS) : '';
  }
}

/** Writes `,"metadata":{…,"totalSize":N}}` with N the size of the whole document in bytes; returns N. */
async function writeMetadata(sink: TextSink, metadata: Record<string, unknown>): Promise<number> {
  const before = sink.bytes;
  const tail = (totalSize: number) => `,"metadata":${JSON.stringify({ ...metadata, totalSize })}}`;
  // The tail's length grows with the number's digits only, so this settles in two or three rounds.
  let totalSize = before;
  for (;;) {
    const next = before + Buffer.byteLength(tail(totalSize));
    if (next === totalSize) break;
    totalSize = next;
  }
  await sink.write(tail(totalSize));
  return totalSize;
}

function locationInKeyOrder(location: Extract<BackupRecord, { t: 'location' }>['v']) {
  const { id, datasetId, name, latitude, longitude, quantity, properties, created_at, updated_at } = location;
  return { id, datasetId, name, latitude, longitude, quantity, properties, created_at, updated_at };
}
