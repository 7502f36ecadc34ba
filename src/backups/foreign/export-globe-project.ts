import { Writable } from 'node:stream';
import { ColumnMapping } from '../../domain/dataset';
import { DEFAULT_SETTINGS, Settings } from '../../domain/settings';
import { BackupRecord } from '../format/backup-record';
import { FOREIGN_FORMAT_VERSION, ForeignExportInfo } from './foreign-export-info';
import { globeUiSettingsOf } from './foreign-settings';
import { toGlobeColumnMapping } from './globe-column-mapping';
import { globeLocationJson } from './globe-location-json';
import { writeDocument } from './text-sink';

/**
 * Writes the Globe app's own "Save Project" file,
 * `{"locations":[…],"columnMapping":{…},"uiSettings":{…},"metadata":{timestamp, version, recordCount, appVersion}}`,
 * from records in backup order, streaming the locations (one at a time, with backpressure) so that
 * memory stays flat however many there are. Events are ignored; configurations have no place in
 * this format and are left out.
 *
 * - Locations are flat, as the Globe app keeps them (globe-location-json.ts); with `datasetId`, only
 *   that dataset's. The Globe app has no datasets, so the dataset of each location is not written.
 * - `columnMapping` is the exported dataset's (the one `datasetId` names, or the only one there is);
 *   with several datasets there is no single right mapping and it is `{}`.
 * - `uiSettings` is the first six keys of Settings (DEFAULT_SETTINGS' when no settings record comes).
 * - `metadata.recordCount` is the number of locations written.
 *
 * Ends `out` once the document is complete and resolves when it has finished; on any failure `out`
 * is destroyed (cut short, without an error event) and the error is rethrown.
 */
export function writeGlobeProject(
  records: AsyncIterable<BackupRecord>,
  out: Writable,
  info: ForeignExportInfo,
): Promise<{ recordCount: number }> {
  return writeDocument(out, async (sink) => {
    const mappings: ColumnMapping[] = [];
    let settings: Settings = DEFAULT_SETTINGS;
    let recordCount = 0;
    await sink.write('{"locations":[');
    for await (const record of records) {
      if (record.t === 'dataset' && (info.datasetId === undefined || record.v.id === info.datasetId)) {
        mappings.push(record.v.columnMapping);
      } else if (record.t === 'location' && (info.datasetId === undefined || record.v.datasetId === info.datasetId)) {
        await sink.write((recordCount === 0 ? '' : ',') + globeLocationJson(record.v));
        recordCount++;
      } else if (record.t === 'settings') {
        settings = record.v;
      }
    }
    const columnMapping = mappings.length === 1 ? toGlobeColumnMapping(mappings[0]) : {};
    const metadata = { timestamp: info.timestamp, version: FOREIGN_FORMAT_VERSION, recordCount, appVersion: info.appVersion };
    await sink.write(
      `],"columnMapping":${JSON.stringify(columnMapping)},"uiSettings":${JSON.stringify(globeUiSettingsOf(settings))},"metadata":${JSON.stringify(metadata)}}`,
    );
    return { recordCount };
  });
}
