import createClient from 'openapi-fetch';
import { errorOfAnswer, GlobeVaultError, unreachable } from './errors';
import { decodeGlobePoints, GlobePoints } from './globe-points';
import { JobListener, JobProgress } from './job-progress';
import type { components, operations, paths } from './openapi';
import type {
  AuditPage,
  Backup,
  BackupStarted,
  Configuration,
  ConfigurationKind,
  Dataset,
  ImportStarted,
  JobView,
  Location,
  Page,
  RestorePreview,
  RestoreStarted,
  Settings,
} from './responses';

export * from './responses';
export { decodeGlobePoints, GLOBE_POINTS_TYPE, type GlobePoints } from './globe-points';
export { GlobeVaultError, isGlobeVaultError } from './errors';
export type { components, paths } from './openapi';

export interface GlobeVaultClientOptions {
  /** The server, e.g. `http://127.0.0.1:3000` (no trailing path). */
  url: string;
  /** An API token (`gv_…`); without one a loopback server acts as its local user. */
  token?: string;
  /** Who acts, as the audit trail shows it (`X-Actor`): the Globe app's user name. */
  actor?: string;
  /** `X-Source` in the audit trail; `api` unless told. */
  source?: string;
  /** A fetch to use instead of the global one. */
  fetch?: typeof globalThis.fetch;
}

type Schemas = components['schemas'];
type QueryOf<O extends keyof operations> = operations[O]['parameters']['query'];
type LocationQuery = NonNullable<QueryOf<'LocationsController_list'>>;
type ImportOptions = Omit<NonNullable<QueryOf<'ImportController_import'>>, 'fileName'>;
type NewDataset = Pick<QueryOf<'ImportController_importIntoNew'>, 'name' | 'description' | 'color'>;

/** A file to import: its bytes (a browser `File` is a Blob) and its name, which tells the format. */
export interface ImportFile {
  body: Blob | ArrayBuffer | Uint8Array | string;
  fileName: string;
}

const CONTENT_TYPES = { csv: 'text/csv', json: 'application/json', geojson: 'application/geo+json' } as const;
const contentTypeOf = (fileName: string, format?: keyof typeof CONTENT_TYPES) =>
  CONTENT_TYPES[format ?? (/\.geojson$/i.test(fileName) ? 'geojson' : /\.json$/i.test(fileName) ? 'json' : 'csv')];

/**
 * The Globe app's typed way to Globe Vault: its datasets, locations, settings and saved
 * configurations (what it kept in IndexedDB), imports, backups, restores and the audit trail, plus
 * job progress over Socket.IO. Requests and queries are typed from the server's OpenAPI document
 * (openapi.d.ts); answers from responses.ts. Every failure is a GlobeVaultError with the
 * server's stable `code`.
 */
export function createGlobeVaultClient(options: GlobeVaultClientOptions) {
  const url = options.url.replace(/\/+$/, '');
  const headers: Record<string, string> = {
    'X-Source': options.source ?? 'api',
    ...(options.actor ? { 'X-Actor': options.actor } : {}),
    ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
  };
  const http = createClient<paths>({ baseUrl: url, headers, fetch: options.fetch });
  const progress = new JobProgress({ url, token: options.token, headers });

  /** The answer's body as T, or the server's error; a 204 answers undefined. */
  async function answer<T>(call: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<T> {
    let result: Awaited<typeof call>;
    try {
      result = await call;
    } catch (cause) {
      throw unreachable(url, cause);
    }
    if (!result.response.ok) throw errorOfAnswer(result.response, result.error);
    return result.data as T;
  }

  const id = (value: string) => ({ params: { path: { id: value } } });

  function importFile(file: ImportFile, into: { datasetId: string } | { newDataset: NewDataset }, importOptions: ImportOptions = {}): Promise<ImportStarted> {
    const init = {
      body: file.body as never,
      bodySerializer: (body: unknown) => body as BodyInit,
      headers: { 'Content-Type': contentTypeOf(file.fileName, importOptions.format), 'X-File-Name': file.fileName },
    };
    const query = { ...importOptions, fileName: file.fileName };
    if ('datasetId' in into) return answer(http.POST('/api/datasets/{id}/import', { ...init, params: { path: { id: into.datasetId }, query } }));
    return answer(http.POST('/api/datasets/import', { ...init, params: { query: { ...query, ...into.newDataset } } }));
  }

  return {
    url,
    datasets: {
      list: (query?: QueryOf<'DatasetsController_list'>) => answer<Page<Dataset>>(http.GET('/api/datasets', { params: { query } })).then((p) => p.items),
      get: (datasetId: string) => answer<Dataset>(http.GET('/api/datasets/{id}', id(datasetId))),
      create: (body: Schemas['CreateDatasetBody']) => answer<Dataset>(http.POST('/api/datasets', { body })),
      update: (datasetId: string, body: Schemas['UpdateDatasetBody']) => answer<Dataset>(http.PATCH('/api/datasets/{id}', { ...id(datasetId), body })),
      delete: (datasetId: string) => answer<void>(http.DELETE('/api/datasets/{id}', id(datasetId))),
    },
    locations: {
      /** One page; pass the answer's `next` back as `cursor` for the following one (null: the last page). */
      page: (query: LocationQuery = {}) => answer<Page<Location>>(http.GET('/api/locations', { params: { query } })),
      /** Every location matching the query, page by page (`limit` per request). */
      async *all(query: Omit<LocationQuery, 'cursor'> = {}): AsyncGenerator<Location> {
        let cursor: string | undefined;
        do {
          const page = await answer<Page<Location>>(http.GET('/api/locations', { params: { query: { ...query, cursor } } }));
          yield* page.items;
          cursor = page.next ?? undefined;
        } while (cursor);
      },
      get: (locationId: string) => answer<Location>(http.GET('/api/locations/{id}', id(locationId))),
      add: (datasetId: string, body: Schemas['AddLocationBody']) =>
        answer<Location>(http.POST('/api/datasets/{datasetId}/locations', { params: { path: { datasetId } }, body })),
      update: (locationId: string, body: Schemas['UpdateLocationBody']) => answer<Location>(http.PATCH('/api/locations/{id}', { ...id(locationId), body })),
      delete: (locationId: string) => answer<void>(http.DELETE('/api/locations/{id}', id(locationId))),
    },
    globe: {
      /** Every location as the globe draws it (id, dataset, latitude, longitude, quantity in columns), in the binary form, decoded. */
      points: async (query: Omit<NonNullable<QueryOf<'GlobePointsController_points'>>, 'format'> = {}): Promise<GlobePoints> =>
        decodeGlobePoints(await answer<ArrayBuffer>(http.GET('/api/globe/points', { params: { query: { ...query, format: 'binary' } }, parseAs: 'arrayBuffer' }))),
    },
    /** Starts importing a file into an existing dataset, or into a new one created with its rows in one write; follow the job with `waitForJob`. */
    importFile,
    settings: {
      get: () => answer<Settings>(http.GET('/api/settings')),
      patch: (changes: Schemas['SettingsChange']) => answer<Settings>(http.PATCH('/api/settings', { body: changes })),
    },
    configurations: {
      list: (kind?: ConfigurationKind) => answer<Page<Configuration>>(http.GET('/api/configurations', { params: { query: { kind } } })).then((p) => p.items),
      get: (configurationId: string) => answer<Configuration>(http.GET('/api/configurations/{id}', id(configurationId))),
      /** Creates or replaces the configuration with this id (the Globe app chooses ids). */
      put: (configurationId: string, body: Schemas['SaveConfigurationBody']) =>
        answer<Configuration>(http.PUT('/api/configurations/{id}', { ...id(configurationId), body })),
      delete: (configurationId: string) => answer<void>(http.DELETE('/api/configurations/{id}', id(configurationId))),
    },
    backups: {
      create: (body: Schemas['CreateBackupBody'] = {}) => answer<BackupStarted>(http.POST('/api/backups', { body })),
      list: () => answer<Page<Backup>>(http.GET('/api/backups')).then((p) => p.items),
      get: (backupId: string) => answer<Backup>(http.GET('/api/backups/{id}', id(backupId))),
    },
    restores: {
      /** What restoring `target` would change now; its `previewToken` is what `run` takes. */
      preview: (body: Schemas['RestorePreviewBody']) => answer<RestorePreview>(http.POST('/api/restores/preview', { body })),
      run: (body: Schemas['RestoreBody']) => answer<RestoreStarted>(http.POST('/api/restores', { body })),
    },
    audit: {
      list: (query?: QueryOf<'AuditController_list'>) => answer<AuditPage>(http.GET('/api/audit', { params: { query } })),
    },
    jobs: {
      get: (jobId: string) => answer<JobView>(http.GET('/api/jobs/{id}', id(jobId))),
    },
    /** Calls `listener` with each view of the job (current state first) until it ends; returns a function that stops it. */
    onJobProgress: (jobId: string, listener: JobListener, onError?: (error: GlobeVaultError) => void) => progress.follow(jobId, listener, onError),
    /** The job once it completed (a failed or cancelled one rejects with its own code), with its progress on the way. */
    waitForJob: (jobId: string, onProgress?: JobListener) => progress.waitFor(jobId, onProgress),
    /** Closes the progress socket (HTTP needs no closing). */
    close: () => progress.close(),
  };
}

export type GlobeVaultClient = ReturnType<typeof createGlobeVaultClient>;
