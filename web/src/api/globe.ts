import { api } from './client';
import { GLOBE_POINTS_TYPE, type GlobePoints, decodeGlobePoints } from '../../../clients/globe-vault-client/globe-points';
import type { components, operations } from '../../../clients/globe-vault-client/openapi';
import type { Configuration, ConfigurationKind, Dataset, ImportStarted, Location, Page, Settings } from './types';

/** Datasets, locations, imports, settings and configurations: the Globe data API. */

/** The datasets now, as of `at`, or as a backup holds them (`backupId`). */
export const listDatasets = (at?: string, backupId?: string) => api.get<Page<Dataset>>('/api/datasets', { at, backupId }).then((p) => p.items);
export const createDataset = (body: { name: string; color?: string; description?: string }) => api.post<Dataset>('/api/datasets', body);
export const updateDataset = (id: string, changes: Partial<Pick<Dataset, 'name' | 'color' | 'visible' | 'description'>>) =>
  api.patch<Dataset>(`/api/datasets/${encodeURIComponent(id)}`, changes);
export const deleteDataset = (id: string) => api.delete(`/api/datasets/${encodeURIComponent(id)}`);

export interface ImportOptions {
  skipInvalidRows: boolean;
  duplicateHandling: 'skip' | 'replace' | 'allow';
}

const CONTENT_TYPES: Record<string, string> = { csv: 'text/csv', json: 'application/json', geojson: 'application/geo+json' };

function importFormatOf(fileName: string): 'csv' | 'json' | 'geojson' | null {
  const ext = fileName.toLowerCase().split('.').pop() ?? '';
  if (ext === 'csv' || ext === 'txt') return 'csv';
  if (ext === 'geojson') return 'geojson';
  if (ext === 'json') return 'json';
  return null;
}

/** Where an import goes: an existing dataset, or a new one the import creates in the same write. */
export type ImportTarget = { datasetId: string } | { newDataset: { name: string; color?: string } };

/**
 * Starts an import. Into a new dataset it goes through `POST /api/datasets/import?name=`, which
 * creates the dataset with its rows in one write: a refused file leaves no empty dataset behind.
 */
export function startImport(target: ImportTarget, file: File, options: ImportOptions, onProgress?: (sent: number, total: number) => void) {
  const format = importFormatOf(file.name);
  const query = new URLSearchParams({
    ...('newDataset' in target ? { name: target.newDataset.name, ...(target.newDataset.color ? { color: target.newDataset.color } : {}) } : {}),
    fileName: file.name,
    skipInvalidRows: String(options.skipInvalidRows),
    duplicateHandling: options.duplicateHandling,
    ...(format ? { format } : {}),
  });
  const path = 'newDataset' in target ? `/api/datasets/import?${query}` : `/api/datasets/${encodeURIComponent(target.datasetId)}/import?${query}`;
  return api.upload<ImportStarted>(path, file, CONTENT_TYPES[format ?? 'csv'], onProgress);
}

/** The fields of one location a user edits; `quantity: null` clears it. */
export type LocationChanges = components['schemas']['UpdateLocationBody'];
export const updateLocation = (id: string, changes: LocationChanges) => api.patch<Location>(`/api/locations/${encodeURIComponent(id)}`, changes);
export const deleteLocation = (id: string) => api.delete(`/api/locations/${encodeURIComponent(id)}`);

export type LocationQuery = Omit<NonNullable<operations['LocationsController_list']['parameters']['query']>, 'limit' | 'cursor' | 'bbox'>;

export const locationsPage = (query: LocationQuery & { limit: number; cursor?: string | null }, signal?: AbortSignal) =>
  api.get<Page<Location>>('/api/locations', { ...query }, signal);

/** One location in full (name, properties, times): what the globe's properties panel shows for a clicked point. */
export const getLocation = (id: string) => api.get<Location>(`/api/locations/${encodeURIComponent(id)}`);

/**
 * Every location as the globe draws it (GET /api/globe/points, the binary form: typed arrays straight
 * off the body), now, as of `at` or in a backup; `updatedAt` adds each point's update time.
 */
export async function globePoints(query: { at?: string; backupId?: string; updatedAt?: boolean }, signal?: AbortSignal): Promise<GlobePoints> {
  const params = { format: 'binary', at: query.at, backupId: query.backupId, fields: query.updatedAt ? 'updated_at' : undefined };
  return decodeGlobePoints(await api.getBytes('/api/globe/points', params, GLOBE_POINTS_TYPE, signal));
}

export const getSettings = (at?: string) => api.get<Settings>('/api/settings', { at });
export const patchSettings = (patch: Partial<Settings>) => api.patch<Settings>('/api/settings', patch);

export const listConfigurations = () => api.get<Page<Configuration>>('/api/configurations').then((p) => p.items);
export const saveConfiguration = (id: string, body: { kind: ConfigurationKind; name: string; value: unknown }) =>
  api.put<Configuration>(`/api/configurations/${encodeURIComponent(id)}`, body);
export const deleteConfiguration = (id: string) => api.delete(`/api/configurations/${encodeURIComponent(id)}`);
