import { ColumnMapping, Dataset, DEFAULT_DATASET_COLOR } from '../../domain/dataset';
import { isoTimeSchema } from '../../domain/location';

/** What a foreign file does not say and a restore must: the dataset its locations land in, and the time. */
export interface ForeignImportInfo {
  /** The dataset made for locations the file puts in none (all of a Globe project's). */
  datasetId: string;
  datasetName: string;
  /** ISO 8601; the time of records the file gives none for, when the file has no timestamp either. */
  now: string;
}

/** The dataset made for a file's otherwise homeless locations (not yet validated). */
export function foreignDataset(info: ForeignImportInfo, columnMapping: ColumnMapping, time: string): Dataset {
  return {
    id: info.datasetId,
    name: info.datasetName,
    description: '',
    color: DEFAULT_DATASET_COLOR,
    visible: true,
    source: { fileName: null, format: 'json' },
    columnMapping,
    created_at: time,
    updated_at: time,
  };
}

/** A file's own timestamp, when it is one we can store. */
export function fileTime(value: unknown): string | undefined {
  const time = isoTimeSchema.safeParse(value);
  return time.success ? time.data : undefined;
}
