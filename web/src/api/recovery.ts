import { api } from './client';
import type { AuditEvent, ConflictStrategy, Page, RestorePoint, RestorePreview, RestoreScope, RestoreStarted, RestoreTarget, StateSummary } from './types';

/** Point-in-time recovery, time travel and the audit trail. */

export const previewRestore = (target: RestoreTarget, scope: RestoreScope) => api.post<RestorePreview>('/api/restores/preview', { target, scope });
/** `passphrase`: an encrypted backup's, again (the server never keeps it). */
export const startRestore = (previewToken: string, strategy: ConflictStrategy, overrides: Record<string, 'target' | 'current'>, passphrase?: string) =>
  api.post<RestoreStarted>('/api/restores', { previewToken, strategy, overrides, ...(passphrase ? { passphrase } : {}) });
export const undoRestore = (restoreId: string) => api.post<RestoreStarted>(`/api/restores/${encodeURIComponent(restoreId)}/undo`);
export const listRestorePoints = () => api.get<Page<RestorePoint>>('/api/restore-points').then((p) => p.items);
export const createRestorePoint = (name: string, description = '') => api.post<RestorePoint>('/api/restore-points', { name, description });

/** A restore as the log records it (GET /api/restores). */
export interface RestoreRecord {
  id: string;
  actor: string;
  startedAt: string;
  target: RestoreTarget;
  undoOf: string | null;
  counts: { datasets: { added: number; changed: number; removed: number }; locations: { added: number; changed: number; removed: number } } | null;
}
export const listRestores = () => api.get<Page<RestoreRecord>>('/api/restores').then((p) => p.items);

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
