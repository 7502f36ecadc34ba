/** What a JSON export says about itself, beside the records. */
export interface ForeignExportInfo {
  /** ISO 8601: when the export was made (written as the document's timestamp). */
  timestamp: string;
  /** This app's version (backups/app-version.ts). */
  appVersion: string;
  /** Export only this dataset and its locations; every dataset when absent. */
  datasetId?: string;
}

/** The version both JSON formats carry; the Globe app writes and expects "1.0". */
export const FOREIGN_FORMAT_VERSION = '1.0';
