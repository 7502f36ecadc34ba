import { ArchiveSteps } from './archive-step-times';

/** What health reports about the archive (GET /api/backups/health). */
export interface ArchiveStatus {
  storage: string;
  encryption: string | null;
  epoch: number | null;
  /** Every position up to this one is in the store. */
  archivedPosition: number;
  headPosition: number;
  /** Positions and seconds behind the log's head: what a lost server would lose now. */
  lag: { positions: number; seconds: number };
  /** The points a lost server could be restored to from the store alone; null while nothing is archived. */
  restorable: { oldest: string | null; newest: string | null };
  pending: { positions: number; since: string | null; retryAt: string | null };
  uploads: number;
  lastUploadAt: string | null;
  lastError: { code: string; message: string; at: string } | null;
  /** A newer epoch in the store took over (a promoted follower): this instance no longer uploads, nor writes. */
  superseded: { epoch: number; seenAt: string } | null;
  /** Where the upload rounds' time goes (archive-step-times.ts): what keeps the lag above the interval. */
  steps: ArchiveSteps;
}
