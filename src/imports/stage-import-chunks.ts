import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { LocationData } from '../domain/location';
import { MAX_LOCATIONS_PER_EVENT } from '../domain/events';
import { prepareEventData } from '../events/serialize-new-event';
import { ImportOptions, MAX_REPORTED_ROW_ERRORS } from './import-options';
import { ColumnDetectionCache } from './parsing/column-detection-cache';
import { ImportFormat } from './parsing/import-format';
import { ImportedLocation, RowError, normalizeRecord } from './parsing/normalize-record';
import { wrongEncoding } from './parsing/import-errors';
import { readRecordBatches } from './parsing/read-records';
import { lineAt, NotUtf8Error } from './parsing/text-encoding';

/**
 * Bytes per read of the upload. csv-parse turns a whole read into records at once, and they stay
 * alive until staged: at 64 KiB (the default) ~1,400 records survived each young-generation GC,
 * which cost ~0.25 s more CPU per million rows than 16 KiB (measured with the import's own CSV).
 */
const READ_BYTES = 16 * 1024;

export interface ImportReport {
  format: ImportFormat;
  rowsRead: number;
  /** Locations staged for writing (after invalid rows and skipped duplicates). */
  locations: number;
  invalidRows: number;
  errors: RowError[];
  duplicates: { skipped: number; replaced: number; renamed: number };
  /** Locations per staged chunk, in order: the exact progress of the projection phase. */
  chunkSizes: number[];
}

export interface StageChunksInput {
  datasetId: string;
  uploadPath: string;
  uploadBytes: number;
  format: ImportFormat;
  options: ImportOptions;
  chunkPath: string;
  now: string;
  newId: () => string;
  /** Which of these ids are taken already (by any dataset). */
  existingIds: (ids: string[]) => Promise<Set<string>>;
  onProgress: (rowsRead: number, bytesRead: number) => void;
  throwIfCancelled: () => void;
}

/**
 * Phase one of an import, which writes nothing to the log: reads the staged upload as a stream,
 * normalizes every record by the Globe app's rules, settles duplicate ids, and writes the locations
 * to `chunkPath` in chunks of at most MAX_LOCATIONS_PER_EVENT, one line per future event. A line is
 * that LocationsAdded event's data already validated and serialized (`prepareEventData`), exactly
 * what the log will store: the append copies it as it is, so a chunk is validated and serialized
 * once (it was parsed, validated and serialized again inside the append's transaction: BENCHMARKS.md,
 * import). An invalid chunk fails here, with the error the append would have thrown. Memory holds
 * one chunk plus the set of ids the file itself brought.
 */
export async function stageImportChunks(input: StageChunksInput): Promise<ImportReport> {
  const report: ImportReport = {
    format: input.format,
    rowsRead: 0,
    locations: 0,
    invalidRows: 0,
    errors: [],
    duplicates: { skipped: 0, replaced: 0, renamed: 0 },
    chunkSizes: [],
  };
  const seenInFile = new Set<string>();
  const columns = new ColumnDetectionCache();
  let bytesRead = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytesRead += chunk.length;
      done(null, chunk);
    },
  });
  const out = await open(input.chunkPath, 'w');
  let chunk: ImportedLocation[] = [];
  const flush = async () => {
    if (chunk.length === 0) return;
    const locations = await settleDuplicates(chunk, input, seenInFile, report);
    chunk = [];
    if (locations.length === 0) return;
    await out.write(prepareEventData('LocationsAdded', { datasetId: input.datasetId, locations }) + '\n');
    report.locations += locations.length;
    report.chunkSizes.push(locations.length);
    input.onProgress(report.rowsRead, bytesRead);
    input.throwIfCancelled();
  };
  // pipe() does not close its source when the reading stops early (a bad record, a full disk, a cancel): the finally does.
  const upload = createReadStream(input.uploadPath, { highWaterMark: READ_BYTES });
  try {
    for await (const batch of readRecordBatches(upload.pipe(counter), input.format, input.options.encoding)) {
      for (const raw of batch) {
        report.rowsRead += 1;
        const row = normalizeRecord(raw, columns.columnsFor(raw.record));
        if (row.ok) {
          chunk.push(row.location);
          if (chunk.length >= MAX_LOCATIONS_PER_EVENT) await flush();
        } else {
          report.invalidRows += 1;
          if (report.errors.length < MAX_REPORTED_ROW_ERRORS) report.errors.push(row.error);
        }
      }
    }
    await flush();
    await out.sync();
    input.onProgress(report.rowsRead, input.uploadBytes);
  } catch (error) {
    if (error instanceof NotUtf8Error) throw wrongEncoding('UTF-8', await lineAt(input.uploadPath, error.offset));
    throw error;
  } finally {
    upload.destroy();
    await out.close();
  }
  return report;
}

/** Applies duplicateHandling to one chunk: ids taken by the store or earlier in the file. */
async function settleDuplicates(
  chunk: ImportedLocation[],
  input: StageChunksInput,
  seenInFile: Set<string>,
  report: ImportReport,
): Promise<LocationData[]> {
  const given = chunk.flatMap((l) => (l.id === undefined ? [] : [l.id]));
  const taken = given.length ? await input.existingIds(given) : new Set<string>();
  const out: LocationData[] = [];
  for (const l of chunk) {
    let id = l.id;
    if (id !== undefined && (taken.has(id) || seenInFile.has(id))) {
      const policy = input.options.duplicateHandling;
      if (policy === 'skip') {
        report.duplicates.skipped += 1;
        continue;
      }
      if (policy === 'replace') report.duplicates.replaced += 1;
      else {
        report.duplicates.renamed += 1;
        id = undefined;
      }
    }
    if (id !== undefined) seenInFile.add(id);
    out.push({
      id: id ?? input.newId(),
      name: l.name,
      latitude: l.latitude,
      longitude: l.longitude,
      ...(l.quantity === undefined ? {} : { quantity: l.quantity }),
      properties: l.properties,
      created_at: l.created_at ?? input.now,
      updated_at: l.updated_at ?? l.created_at ?? input.now,
    });
  }
  return out;
}
