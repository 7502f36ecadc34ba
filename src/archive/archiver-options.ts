/** How an Archiver is set up (archive.service.ts builds it from the configuration). */
export interface ArchiverOptions {
  intervalMs: number;
  /** A segment is sealed once its content (NDJSON) reaches this many bytes, even mid-interval. */
  segmentBytes: number;
  tmpDir: string;
  /**
   * Retention after each merge pass (ArchiveRetention): deletes the epoch's segments no restore in
   * the window reads; answers the position up to which the archive no longer holds them (0: none).
   */
  retention?: (epoch: number, archived: number) => Promise<number>;
  /** A promotion: the followed epoch and position the new epoch continues (recorded in its claim and first segment). */
  continues?: { epoch: number; position: number };
  /** Told when a newer epoch shows up in the store: this archiver then uploads nothing more. */
  onSuperseded?: (newerEpoch: number, epoch: number) => void;
}
