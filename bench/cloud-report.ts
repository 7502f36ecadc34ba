import { percentile, WriteRun, LagSample } from './cloud-load';
import { UploadSpan } from './cloud-s3';
import { EventLag } from './cloud-lag';
import type { StepTimes } from '../src/archive/archive-step-times';
import { seconds } from './e2e';
import { MachineInfo, printTable, writeResults } from './measure';

/** The figures of bench/cloud.bench.ts beside the targets (#14), printed and written to bench/results/cloud.json. */

export const TARGETS = { uploadRatio: 0.8, lagP99Seconds: 2, idlePutsPerMinute: 0, restoreRatio: 1.5 };

const MB = 1e6;
const perMinute = (count: number, ms: number) => (count * 60_000) / ms;
const verdict = (met: boolean) => (met ? 'met' : 'MISSED');

export interface CloudResults {
  info: MachineInfo;
  loads: { at: string; uptime: string }[];
  upload: { backupId: string; jobMs: number; phases: { phase: string; s: number }[]; service: UploadSpan; bare: (UploadSpan & { label: string; clientMs: number })[] };
  idleBefore: { ms: number; puts: number; writes: Record<string, number>; reads: number };
  idleAfter: { ms: number; puts: number; writes: Record<string, number>; reads: number };
  load: {
    offered: number;
    writes: WriteRun;
    positions: { from: number; to: number };
    eventLag: EventLag;
    steps: { rounds: number; mean: StepTimes | null; max: StepTimes | null };
    lag: LagSample[];
    puts: number;
    byKind: Record<string, number>;
    serverCpuSeconds: number;
    catchUpMs: number;
  };
  catchUp: { ms: number; startMs: number; events: number; puts: number; byKind: Record<string, number> };
  head: number;
  localRestore: { totalMs: number; previewMs: number; restoreMs: number; serverCpuSeconds: number; peakMiB: number; s3Reads: number };
  cloudRestore: { totalMs: number; previewMs: number; restoreMs: number; serverCpuSeconds: number; peakMiB: number; s3Reads: number };
  [more: string]: unknown;
}

export function report(r: CloudResults): void {
  const rate = (u: UploadSpan) => u.bytes / MB / (u.ms / 1000);
  const bareSame = r.upload.bare.filter((b) => b.label.includes('as the service'));
  const bareBest = Math.max(...r.upload.bare.map(rate));
  const sameRate = bareSame.reduce((sum, b) => sum + rate(b), 0) / bareSame.length;
  printTable('Upload of the backup (span at the S3 server: first request → last answer)', [
    { upload: `service: POST /api/backups (job ${seconds(r.upload.jobMs)} s)`, MB: r.upload.service.bytes / MB, s: seconds(r.upload.service.ms), 'MB/s': rate(r.upload.service), requests: r.upload.service.requests },
    ...r.upload.bare.map((b) => ({ upload: b.label, MB: b.bytes / MB, s: seconds(b.ms), 'MB/s': rate(b), requests: b.requests, 'client s': seconds(b.clientMs) })),
  ]);
  const uploadRatio = rate(r.upload.service) / sameRate;
  const uploadRatioBest = rate(r.upload.service) / bareBest;

  const secs = r.load.lag.map((s) => s.seconds);
  const lag = { p50: percentile(secs, 50), p99: percentile(secs, 99), max: Math.max(...secs) };
  const writes = r.load.writes;
  const ev = r.load.eventLag;
  const achieved = writes.ok / (writes.ms / 1000);
  printTable(`Archive lag: ${r.load.offered} writes/s offered, ${achieved.toFixed(1)}/s answered, for ${seconds(writes.ms)} s`, [
    { what: 'lag per event s (commit → PUT answered)', p50: ev.p50, p99: ev.p99, max: ev.max, samples: ev.events },
    { what: 'lag s (health, every 250 ms)', p50: lag.p50, p99: lag.p99, max: lag.max, samples: secs.length },
    { what: 'lag positions', p50: percentile(r.load.lag.map((s) => s.positions), 50), p99: percentile(r.load.lag.map((s) => s.positions), 99), max: Math.max(...r.load.lag.map((s) => s.positions)) },
    { what: 'health answer ms', p50: percentile(r.load.lag.map((s) => s.latencyMs), 50), p99: percentile(r.load.lag.map((s) => s.latencyMs), 99), max: Math.max(...r.load.lag.map((s) => s.latencyMs)) },
    { what: 'write answer ms (from due)', p50: percentile(writes.latencies, 50), p99: percentile(writes.latencies, 99), max: Math.max(...writes.latencies), samples: writes.ok + writes.failed },
  ]);
  const putsIdle = perMinute(r.idleBefore.puts, r.idleBefore.ms);
  printTable('PUT requests at the S3 server', [
    { window: `idle ${seconds(r.idleBefore.ms)} s`, PUT: r.idleBefore.puts, 'PUT/min': putsIdle, writes: JSON.stringify(r.idleBefore.writes), reads: r.idleBefore.reads },
    { window: `under load ${seconds(writes.ms)} s`, PUT: r.load.puts, 'PUT/min': perMinute(r.load.puts, writes.ms), writes: JSON.stringify(r.load.byKind) },
    { window: `catch-up of ${r.catchUp.events} events after a restart, ${seconds(r.catchUp.ms)} s`, PUT: r.catchUp.puts, 'PUT/min': perMinute(r.catchUp.puts, r.catchUp.ms), writes: JSON.stringify(r.catchUp.byKind) },
    { window: `idle after the writes ${seconds(r.idleAfter.ms)} s`, PUT: r.idleAfter.puts, 'PUT/min': perMinute(r.idleAfter.puts, r.idleAfter.ms), writes: JSON.stringify(r.idleAfter.writes), reads: r.idleAfter.reads },
  ]);
  const restoreRow = (label: string, x: CloudResults['localRestore']) => ({
    from: label,
    'preview s': seconds(x.previewMs),
    'restore job s': seconds(x.restoreMs),
    'total s': seconds(x.totalMs),
    'server CPU s': x.serverCpuSeconds,
    'peak MiB': x.peakMiB,
    'S3 reads': x.s3Reads,
  });
  printTable(`Restore on a fresh server of the log up to position ${r.head}`, [restoreRow('local folder (a copy of every object)', r.localRestore), restoreRow('S3 server', r.cloudRestore)]);
  const restoreRatio = r.cloudRestore.totalMs / r.localRestore.totalMs;

  const targets = [
    { target: `upload ≥ ${TARGETS.uploadRatio} of bare`, result: `${uploadRatio.toFixed(2)} of bare as the service (${uploadRatioBest.toFixed(2)} of the fastest bare)`, verdict: verdict(uploadRatio >= TARGETS.uploadRatio) },
    {
      target: `archive lag p99 ≤ ${TARGETS.lagP99Seconds} s at ${r.load.offered}/s`,
      result: `per event p50 ${ev.p50.toFixed(2)} s, p99 ${ev.p99.toFixed(2)} s (health: p50 ${lag.p50.toFixed(2)}, p99 ${lag.p99.toFixed(2)}) at ${achieved.toFixed(1)} writes/s answered`,
      verdict: `${verdict(ev.p99 <= TARGETS.lagP99Seconds)}${achieved < 0.95 * r.load.offered ? ' (not at the offered rate)' : ''}`,
    },
    { target: 'idle PUT/min = 0', result: `${putsIdle.toFixed(1)}`, verdict: verdict(putsIdle <= TARGETS.idlePutsPerMinute) },
    { target: `restore from S3 ≤ ${TARGETS.restoreRatio}× local`, result: `${restoreRatio.toFixed(2)}×`, verdict: verdict(restoreRatio <= TARGETS.restoreRatio) },
  ];
  printTable('Targets', targets);
  for (const l of r.loads) console.log(`load (${l.at}): ${l.uptime}`);
  if (r.load.steps.mean) printTable(`Archiver rounds during the load (${r.load.steps.rounds}), ms`, [{ round: 'mean', ...r.load.steps.mean }, { round: 'max since start', ...r.load.steps.max }]);
  const { lag: samples, ...load } = r.load;
  const file = writeResults('cloud', { ...r, load: { ...load, lagSamples: samples, writes: { ...writes, latencies: undefined } }, lag, uploadRatio, uploadRatioBest, restoreRatio, targets });
  console.log(`\nresults: ${file}`);
}
