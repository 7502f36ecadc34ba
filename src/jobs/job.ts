import { z } from 'zod';

export const jobStateSchema = z.enum(['queued', 'running', 'completed', 'failed', 'cancelled']);
export type JobState = z.infer<typeof jobStateSchema>;
export const FINAL_JOB_STATES: readonly JobState[] = ['completed', 'failed', 'cancelled'];

export const jobKindSchema = z.enum(['import', 'backup', 'restore', 'snapshot', 'compaction', 'rebuild', 'verify', 'audit-verify']);
export type JobKind = z.infer<typeof jobKindSchema>;

export interface JobError {
  code: string;
  message: string;
  details?: unknown;
}

/**
 * A job as `GET /api/jobs/:id` and the gateway show it. `total` is null while unknown: progress is
 * never invented. `etaSeconds` and `rate` (items/s) exist only when a total is known and work moved.
 */
export interface JobView {
  id: string;
  kind: JobKind;
  state: JobState;
  phase: string;
  done: number;
  total: number | null;
  bytes: number;
  bytesTotal: number | null;
  rate: number | null;
  etaSeconds: number | null;
  actor: string;
  params: Record<string, unknown>;
  result: unknown;
  error: JobError | null;
  cancellable: boolean;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  updatedAt: string;
}

export interface ProgressUpdate {
  phase?: string;
  done?: number;
  total?: number | null;
  bytes?: number;
  bytesTotal?: number | null;
  /** Whether cancelling is still safe from here on (e.g. false once an import commits). */
  cancellable?: boolean;
}
