import { performance } from 'node:perf_hooks';
import { firstSampleWhere, JobTimeline, LogProbe, QUIET_SCHEDULES, Sample, ServerProcess } from './server-process';

/** Starts a server on `dataDir` and turns off the snapshot and compaction schedules (see QUIET_SCHEDULES). */
export async function startQuietServer(dataDir: string): Promise<ServerProcess> {
  const server = await ServerProcess.start(dataDir);
  try {
    await server.call('PATCH', '/api/settings', QUIET_SCHEDULES, 200);
  } catch (error) {
    await server.kill();
    throw error;
  }
  return server;
}

export async function createDataset(server: ServerProcess, name: string): Promise<string> {
  const dataset = await server.call<{ id: string }>('POST', '/api/datasets', { name }, 201);
  return dataset.id;
}

export interface ImportRun {
  jobId: string;
  /** ms from the first byte of the upload to the first answer saying the job completed. */
  totalMs: number;
  /** ms until the 202 (the body is staged to disk before the answer). */
  uploadMs: number;
  timeline: JobTimeline;
  /** ms from the start to the timestamp the log gave the import's first event: when the append (the writing phase) began. */
  writingStartMs: number;
  /** ms from the start to the first sample that saw the append committed (the log's head at its last event), ±100 ms. */
  writingEndMs: number;
  /** The server's RSS, CPU and I/O every 100 ms, sampled from outside (`t` in ms after the start). */
  samples: Sample[];
  result: { locationsWritten: number; rowsRead: number; firstPosition: number; lastPosition: number };
}

/**
 * POST /api/datasets/:id/import with the CSV file streamed as the raw body, then polls the job
 * every 200 ms until it completes (the job completes once the read models hold every location).
 */
export async function importCsv(server: ServerProcess, datasetId: string, csvPath: string): Promise<ImportRun> {
  const startEpoch = Date.now();
  const start = performance.now();
  const probe = new LogProbe(server.dataDir);
  const stopSampling = server.sample(start, 100, () => probe.read());
  const res = await server.upload(csvPath, `/api/datasets/${encodeURIComponent(datasetId)}/import?fileName=bench.csv`, 'text/csv');
  const uploadMs = performance.now() - start;
  if (res.status !== 202) throw new Error(`import: ${res.status} ${JSON.stringify(res.body)}\n${server.output()}`);
  const timeline = await server.waitForJob(res.body.jobId, start);
  const samples = stopSampling();
  probe.close();
  const result = timeline.final.result;
  const writingStartMs = Date.parse(await recordedAtOf(server, result.firstPosition)) - startEpoch;
  const writingEndMs = firstSampleWhere(samples, (s) => (s.head ?? 0) >= result.lastPosition) ?? timeline.totalMs;
  return { jobId: res.body.jobId, totalMs: timeline.totalMs, uploadMs, timeline, writingStartMs, writingEndMs, samples, result };
}

/** The `recordedAt` of the event at `position`, through the audit API. */
export async function recordedAtOf(server: ServerProcess, position: number): Promise<string> {
  const after = Buffer.from(`p:${position - 1}`).toString('base64url');
  const page = await server.call<{ items: { position: number; recordedAt: string }[] }>('GET', `/api/audit?order=asc&limit=1&after=${after}`, undefined, 200);
  if (page.items[0]?.position !== position) throw new Error(`no event at position ${position}`);
  return page.items[0].recordedAt;
}

export const seconds = (ms: number) => Math.round(ms / 10) / 100;
