import { api } from './client';
import type { AuditEvent, ConflictStrategy, Page, RestoreCounts, RestorePoint, RestorePreview, RestoreScope, RestoreTarget, StateSummary } from './types';

/** Point-in-time recovery, time travel and the audit trail. */

export const previewRestore = (target: RestoreTarget, scope: RestoreScope) => api.post<RestorePreview>('/api/restores/preview', { target, scope });
/** `passphrase`: an encrypted backup's, again (the server never keeps it). */
export const startRestore = (previewToken: string, strategy: ConflictStrategy, overrides: Record<string, 'target' | 'current'>, passphrase?: string) =>
  api.post<{ jobId: string; restoreId: string }>('/api/restores', { previewToken, strategy, overrides, ...(passphrase ? { passphrase } : {}) });
/** `previewToken`: the undo's own preview's; the server refuses (409 RESTORE.PREVIEW_STALE) if the data moved since it. */
export const undoRestore = (restoreId: string, previewToken: string) =>
  api.post<{ jobId: string; restoreId: string }>(`/api/restores/${encodeURIComponent(restoreId)}/undo`, { previewToken });
export const listRestorePoints = () => api.get<Page<RestorePoint>>('/api/restore-points').then((p) => p.items);
export const createRestorePoint = (name: string, description = '') => api.post<RestorePoint>('/api/restore-points', { name, description });

/** A restore as the log records it (GET /api/restores). */
export interface RestoreRecord {
  id: string;
  actor: string;
  startedAt: string;
  target: RestoreTarget;
  scope: RestoreScope;
  strategy: string;
  /** The head the restore was written on: undoing it restores this position. */
  basePosition: number;
  undoOf: string | null;
  /** The latest restore that undid this one (an undo of an undo is a redo); null while it stands. */
  undoneBy: { id: string; startedAt: string } | null;
  counts: RestoreCounts | null;
}
export const listRestores = () => api.get<Page<RestoreRecord>>('/api/restores').then((p) => p.items);
export const getRestore = (id: string) => api.get<RestoreRecord>(`/api/restores/${encodeURIComponent(id)}`);

export const stateAt = (target: { at?: string; position?: number }) => api.get<StateSummary>('/api/state', target);

export interface AuditQuery {
  type?: string;
  datasetId?: string;
  actor?: string;
  from?: string;
  to?: string;
  order?: 'asc' | 'desc';
  limit?: number;
  after?: string | null;
}

export const auditPage = (query: AuditQuery) => api.get<Page<AuditEvent>>('/api/audit', { ...query });
