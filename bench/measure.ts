import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';

/** `BENCH_SCALE` (default 1) multiplies every benchmark's size: `BENCH_SCALE=0.1` for a quick try. */
export const SCALE = (() => {
  const raw = process.env.BENCH_SCALE ?? '1';
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale <= 0) throw new Error(`BENCH_SCALE must be a positive number, got ${raw}`);
  return scale;
})();

/** `n` scaled by BENCH_SCALE and rounded to a whole number of `multipleOf` (e.g. whole batches). */
export function scaled(n: number, multipleOf = 1): number {
  return Math.max(multipleOf, Math.round((n * SCALE) / multipleOf) * multipleOf);
}

/** A fresh directory on the real file system (os.tmpdir()), removed by `cleanup`. */
export function freshDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `gv-bench-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Accumulates wall time and process CPU time (user + system, all threads) over many timed sections. */
export class Stopwatch {
  ms = 0;
  cpuMs = 0;
  count = 0;

  time<T>(fn: () => T): T {
    const cpu = process.cpuUsage();
    const start = performance.now();
    try {
      return fn();
    } finally {
      this.ms += performance.now() - start;
      this.cpuMs += cpuMsSince(cpu);
    }
  }

  async timeAsync<T>(fn: () => Promise<T>): Promise<T> {
    const cpu = process.cpuUsage();
    const start = performance.now();
    try {
      return await fn();
    } finally {
      this.ms += performance.now() - start;
      this.cpuMs += cpuMsSince(cpu);
    }
  }

  /** Items per second of wall time. */
  rate(items: number): number {
    return items / (this.ms / 1000);
  }
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

/**
 * The issues set memory targets in MB (10^6 bytes) and /proc reports KiB: a peak in MiB meets a
 * target of `targetMB` only if it is at most `mibOfMB(targetMB)` (400 MB = 381.5 MiB).
 */
export const mibOfMB = (mb: number) => (mb * 1e6) / 2 ** 20;
/** A peak in MiB, in MB for the reports: "381 MiB (400 MB)". */
export const inMB = (mib: number) => `${mib} MiB (${Math.round((mib * 2 ** 20) / 1e6)} MB)`;

/** The peak resident set size of this process so far, in MiB. */
export function peakRssMiB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export interface MachineInfo {
  date: string;
  nproc: number;
  cpuModel: string;
  ramGiB: number;
  node: string;
  platform: string;
  sqliteVersion: string;
  tmpdir: string;
  benchScale: number;
  /** 1, 5 and 15 minute load averages when the benchmark started: other jobs share this machine. */
  loadAverage: number[];
}

export function machine(): MachineInfo {
  const db = new Database(':memory:');
  const sqliteVersion = (db.prepare('select sqlite_version() AS v').get() as { v: string }).v;
  db.close();
  return {
    date: new Date().toISOString(),
    nproc: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    ramGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${release()}`,
    sqliteVersion,
    tmpdir: tmpdir(),
    benchScale: SCALE,
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

export function printMachine(info: MachineInfo): void {
  console.log(
    `${info.date}  ${info.nproc} × ${info.cpuModel}, ${info.ramGiB} GiB, Node ${info.node}, SQLite ${info.sqliteVersion} (better-sqlite3), ` +
      `${info.platform}, tmpdir ${info.tmpdir}, BENCH_SCALE=${info.benchScale}, load average ${info.loadAverage.join(' ')}`,
  );
}

export type Row = Record<string, string | number>;

/** Prints rows as an aligned text table; numbers are right-aligned with thousands separators. */
export function printTable(title: string, rows: Row[]): void {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: string | number | undefined) => (v === undefined ? '' : typeof v === 'number' ? formatNumber(v) : v);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[], numeric: boolean[]) =>
    values.map((v, i) => (numeric[i] ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ');
  console.log(`\n${title}`);
  console.log(line(columns, columns.map(() => false)));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(columns.map((c) => cell(r[c])), columns.map((c) => typeof r[c] === 'number')));
}

function formatNumber(v: number): string {
  if (Number.isInteger(v) || Math.abs(v) >= 100) return Math.round(v).toLocaleString('en-US');
  return v.toLocaleString('en-US', { maximumFractionDigits: Math.abs(v) >= 10 ? 1 : 2 });
}

/** Writes `bench/results/<name>.json` (git-ignored). */
export function writeResults(name: string, results: object): string {
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}
