import { performance } from 'node:perf_hooks';
import request from 'supertest';
import { Http, csv, waitForJob } from '../../support/app-harness';
import { binaryParser } from '../../backups/backup-helpers';
import { Latencies } from './latency';
import { WriteLedger } from './write-ledger';

/**
 * A user (or several) driving the real service through everything it does: edits of datasets,
 * locations, settings and configurations, imports, backups, uploads, restores and their undo,
 * snapshots and compactions. Every acknowledged write goes into the ledger; every answer is timed;
 * a 5xx is a problem. Choices come from a seeded PRNG, so a run is replayable.
 */

export type OpName =
  | 'createDataset'
  | 'patchDataset'
  | 'deleteDataset'
  | 'addLocation'
  | 'patchLocation'
  | 'deleteLocation'
  | 'patchSettings'
  | 'putConfiguration'
  | 'deleteConfiguration'
  | 'restorePoint'
  | 'importCsv'
  | 'backup'
  | 'deleteBackup'
  | 'upload'
  | 'restoreToPosition'
  | 'restoreFromBackup'
  | 'undoRestore'
  | 'snapshot'
  | 'compaction';

/** Each decides exactly one event: what the load harness uses to prove "exactly once". */
export const ONE_EVENT_OPS: Partial<Record<OpName, number>> = {
  createDataset: 1,
  patchDataset: 2,
  addLocation: 6,
  patchLocation: 3,
  deleteLocation: 1,
  patchSettings: 1,
  putConfiguration: 2,
  deleteConfiguration: 1,
};

/** Everything, weighted towards the frequent edits (the crash harness). */
export const ALL_OPS: Record<OpName, number> = {
  createDataset: 4,
  patchDataset: 3,
  deleteDataset: 1,
  addLocation: 10,
  patchLocation: 5,
  deleteLocation: 2,
  patchSettings: 2,
  putConfiguration: 3,
  deleteConfiguration: 1,
  restorePoint: 1,
  importCsv: 3,
  backup: 2,
  deleteBackup: 1,
  upload: 1,
  restoreToPosition: 2,
  restoreFromBackup: 1,
  undoRestore: 1,
  snapshot: 1,
  compaction: 1,
};

/** What the workers know of the service's data (from their own answers and listings). */
interface Pools {
  datasets: string[];
  locations: string[];
  configurations: string[];
  restores: string[];
  backups: string[];
}

/** A 5xx answer: always a problem (unless a harness expects a known defect). */
export interface ServerError {
  what: string;
  status: number;
  body: unknown;
}

export const describeServerError = (e: ServerError) => `${e.what} answered ${e.status}: ${JSON.stringify(e.body)}`;

export class GlobeWorkload {
  readonly latencies = new Latencies();
  readonly serverErrors: ServerError[] = [];
  readonly statuses = new Map<number, number>();
  private readonly pools: Pools = { datasets: [], locations: [], configurations: [], restores: [], backups: [] };
  private counter = 0;
  private stopping = false;

  constructor(
    private readonly http: () => Http,
    private readonly rng: () => number,
    readonly ledger: WriteLedger,
    private readonly ops: Partial<Record<OpName, number>>,
    private readonly prefix: string,
  ) {}

  /** Learns the ids that exist (after a restart, or before a run on seeded data). */
  async refresh(): Promise<void> {
    const http = this.http();
    const [datasets, locations, configurations, restores, backups] = await Promise.all([
      http.get('/api/datasets'),
      http.get('/api/locations').query({ limit: 2000 }),
      http.get('/api/configurations'),
      http.get('/api/restores'),
      http.get('/api/backups'),
    ]);
    this.pools.datasets = datasets.body.items.map((d: any) => d.id);
    this.pools.locations = locations.body.items.map((l: any) => l.id);
    this.pools.configurations = configurations.body.items.map((c: any) => c.id);
    this.pools.restores = restores.body.items.filter((r: any) => r.counts !== null).map((r: any) => r.id);
    this.pools.backups = backups.body.items.map((b: any) => b.id);
  }

  /** `workers` loops of random operations until `stop()`; connection failures after `stop()` end a loop quietly. */
  async run(workers: number, until: () => boolean): Promise<{ operations: number; errors: string[] }> {
    this.stopping = false;
    let operations = 0;
    const errors: string[] = [];
    const loop = async () => {
      while (!until() && !this.stopping) {
        const op = this.pick();
        try {
          await this[op]();
          operations++;
        } catch (error) {
          if (until() || this.stopping) return;
          errors.push(`${op}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: workers }, loop));
    return { operations, errors };
  }

  /** Tells the loops a kill is coming: failures from here on are the kill's, not the service's. */
  halt(): void {
    this.stopping = true;
  }

  private pick(): OpName {
    const entries = Object.entries(this.ops) as [OpName, number][];
    let r = this.rng() * entries.reduce((n, [, w]) => n + w, 0);
    for (const [op, w] of entries) if ((r -= w) < 0) return op;
    return entries[0][0];
  }

  private one<T>(items: T[]): T | undefined {
    return items.length ? items[Math.floor(this.rng() * items.length)] : undefined;
  }

  private nextId(): string {
    return `${this.prefix}-${++this.counter}`;
  }

  /** Sends with a fresh X-Request-Id, times it, counts its status; a 5xx is recorded as a problem. */
  private async call(what: string, build: (http: Http) => request.Test): Promise<{ res: request.Response; id: string }> {
    const id = this.nextId();
    const t0 = performance.now();
    const res = await build(this.http()).set('X-Request-Id', id).set('X-Actor', 'reliability').timeout(120_000);
    if (!this.stopping) this.latencies.add(performance.now() - t0);
    this.statuses.set(res.status, (this.statuses.get(res.status) ?? 0) + 1);
    if (res.status >= 500) this.serverErrors.push({ what, status: res.status, body: res.body });
    return { res, id };
  }

  /** A command: acknowledged (2xx) into the ledger, refused (4xx) as refused. */
  private async command(what: string, oneEvent: boolean, build: (http: Http) => request.Test): Promise<request.Response> {
    const { res, id } = await this.call(what, build);
    if (res.status < 300) this.ledger.ack(id, what, oneEvent);
    else if (res.status < 500) this.ledger.refuse(id, what);
    return res;
  }

  private async job(jobId: string): Promise<any> {
    return waitForJob(this.http(), jobId, 120_000);
  }

  async createDataset(): Promise<void> {
    const res = await this.command('POST /api/datasets', true, (h) => h.post('/api/datasets').send({ name: `Dataset ${this.counter}`, color: '#3366cc' }));
    if (res.status === 201) this.pools.datasets.push(res.body.id);
  }

  async patchDataset(): Promise<void> {
    const id = this.one(this.pools.datasets);
    if (id) await this.command(`PATCH /api/datasets/${id}`, true, (h) => h.patch(`/api/datasets/${id}`).send({ description: `edit ${this.counter}` }));
  }

  async deleteDataset(): Promise<void> {
    const id = this.one(this.pools.datasets);
    if (!id) return;
    const res = await this.command(`DELETE /api/datasets/${id}`, false, (h) => h.delete(`/api/datasets/${id}`));
    if (res.status === 204) this.pools.datasets = this.pools.datasets.filter((d) => d !== id);
  }

  async addLocation(): Promise<void> {
    const datasetId = this.one(this.pools.datasets);
    if (!datasetId) return this.createDataset();
    const n = this.counter;
    const res = await this.command(`POST location in ${datasetId}`, true, (h) =>
      h.post(`/api/datasets/${datasetId}/locations`).send({ name: `Place ${n}`, latitude: (n % 170) - 85, longitude: (n % 350) - 175, quantity: n, properties: { n } }),
    );
    if (res.status === 201) this.pools.locations.push(res.body.id);
  }

  async patchLocation(): Promise<void> {
    const id = this.one(this.pools.locations);
    if (id) await this.command(`PATCH /api/locations/${id}`, true, (h) => h.patch(`/api/locations/${encodeURIComponent(id)}`).send({ name: `Renamed ${this.counter}` }));
  }

  async deleteLocation(): Promise<void> {
    const id = this.one(this.pools.locations);
    if (!id) return;
    const res = await this.command(`DELETE /api/locations/${id}`, true, (h) => h.delete(`/api/locations/${encodeURIComponent(id)}`));
    if (res.status === 204) this.pools.locations = this.pools.locations.filter((l) => l !== id);
  }

  async patchSettings(): Promise<void> {
    // a value no other patch uses, so the patch always changes something (a no-op decides no event)
    await this.command('PATCH /api/settings', true, (h) => h.patch('/api/settings').send({ searchQuery: `q${this.prefix}${this.counter}` }));
  }

  async putConfiguration(): Promise<void> {
    const id = this.one(this.pools.configurations) && this.rng() < 0.5 ? this.one(this.pools.configurations)! : `view-${this.prefix}-${this.counter}`;
    const res = await this.command(`PUT /api/configurations/${id}`, true, (h) =>
      h.put(`/api/configurations/${id}`).send({ kind: 'camera-view', name: `View ${this.counter}`, value: { zoom: this.counter } }),
    );
    if (res.status === 200 && !this.pools.configurations.includes(id)) this.pools.configurations.push(id);
  }

  async deleteConfiguration(): Promise<void> {
    const id = this.one(this.pools.configurations);
    if (!id) return;
    const res = await this.command(`DELETE /api/configurations/${id}`, true, (h) => h.delete(`/api/configurations/${id}`));
    if (res.status === 204) this.pools.configurations = this.pools.configurations.filter((c) => c !== id);
  }

  async restorePoint(): Promise<void> {
    await this.command('POST /api/restore-points', true, (h) => h.post('/api/restore-points').send({ name: `Point ${this.counter}` }));
  }

  async importCsv(): Promise<void> {
    const datasetId = this.one(this.pools.datasets);
    if (!datasetId) return this.createDataset();
    const rows = 50 + Math.floor(this.rng() * 3000);
    const { res } = await this.call(`import ${rows} rows`, (h) =>
      h.post(`/api/datasets/${datasetId}/import`).query({ fileName: 'r.csv', duplicateHandling: 'allow' }).set('Content-Type', 'text/csv').send(csv(rows, this.counter * 10)),
    );
    if (res.status !== 202) return;
    const job = await this.job(res.body.jobId);
    if (job.state === 'completed') this.ledger.ack(res.body.jobId, `import of ${rows} rows into ${datasetId}`);
  }

  async backup(): Promise<void> {
    const body = { includeHistory: this.rng() < 0.5, compression: this.one(['gzip', 'none', 'brotli']) };
    const { res } = await this.call('POST /api/backups', (h) => h.post('/api/backups').send(body));
    if (res.status !== 202) return;
    const job = await this.job(res.body.jobId);
    if (job.state === 'completed') {
      this.ledger.backupDone(res.body.backupId, `backup ${JSON.stringify(body)}`);
      this.pools.backups.push(res.body.backupId);
    }
  }

  async deleteBackup(): Promise<void> {
    const id = this.one(this.pools.backups);
    if (!id) return;
    // deleted from here on whatever the answer: a kill may come between the delete and its 204
    this.ledger.backupDeleted(id);
    this.pools.backups = this.pools.backups.filter((b) => b !== id);
    await this.call(`DELETE /api/backups/${id}`, (h) => h.delete(`/api/backups/${id}`));
  }

  async upload(): Promise<void> {
    const id = this.one(this.pools.backups);
    if (!id) return this.backup();
    const file = await this.http().get(`/api/backups/${id}/download`).buffer(true).parse(binaryParser as never).timeout(120_000);
    if (file.status !== 200) return;
    const { res } = await this.call('POST /api/backups/upload', (h) => h.post('/api/backups/upload').set('Content-Type', 'application/octet-stream').send(file.body as Buffer));
    if (res.status === 201) {
      this.ledger.backupDone(res.body.id, `upload of backup ${id}`);
      this.pools.backups.push(res.body.id);
    }
  }

  async restoreToPosition(): Promise<void> {
    const head = (await this.http().get('/api/audit').query({ limit: 1 })).body.items?.[0]?.position ?? 0;
    if (head < 2) return;
    const position = 1 + Math.floor(this.rng() * head);
    const datasetId = this.one(this.pools.datasets);
    const scope = datasetId && this.rng() < 0.5 ? { datasets: [datasetId] } : {};
    await this.restore({ target: { position }, scope });
  }

  async restoreFromBackup(): Promise<void> {
    const backupId = this.one(this.pools.backups);
    if (backupId) await this.restore({ target: { backupId }, scope: {} });
  }

  async undoRestore(): Promise<void> {
    const id = this.one(this.pools.restores);
    if (!id) return;
    const { res } = await this.call(`POST /api/restores/${id}/undo`, (h) => h.post(`/api/restores/${id}/undo`));
    if (res.status === 202) await this.restoreJob(res.body.jobId, res.body.restoreId, `undo of ${id}`);
  }

  private async restore(body: Record<string, unknown>): Promise<void> {
    const preview = await this.call('POST /api/restores/preview', (h) => h.post('/api/restores/preview').send(body));
    if (preview.res.status !== 200) return;
    const { res } = await this.call('POST /api/restores', (h) => h.post('/api/restores').send({ previewToken: preview.res.body.previewToken, strategy: 'target-wins' }));
    if (res.status === 202) await this.restoreJob(res.body.jobId, res.body.restoreId, `restore ${JSON.stringify(body)}`);
  }

  private async restoreJob(jobId: string, restoreId: string, what: string): Promise<void> {
    const job = await this.job(jobId);
    if (job.state !== 'completed') return;
    this.ledger.ack(restoreId, what);
    this.pools.restores.push(restoreId);
  }

  async snapshot(): Promise<void> {
    const { res } = await this.call('POST /api/snapshots', (h) => h.post('/api/snapshots'));
    if (res.status === 202) await this.job(res.body.jobId);
  }

  async compaction(): Promise<void> {
    const { res } = await this.call('POST /api/snapshots/compact', (h) => h.post('/api/snapshots/compact'));
    if (res.status === 202) await this.job(res.body.jobId);
  }
}
