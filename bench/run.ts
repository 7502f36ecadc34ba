import { spawnSync } from 'node:child_process';

/**
 * `npm run bench` runs every benchmark, each in its own child process (a clean heap and its own
 * peak RSS); `npm run bench -- <name>` runs one in this process. `BENCH_SCALE=0.1` for a quick try.
 */
// Loaded on demand, so that one benchmark's imports (of src/, which moves) cannot stop another from running.
const benchmarks: Record<string, () => Promise<void>> = {
  driver: async () => (await import('./driver.bench')).driverBench(),
  append: async () => (await import('./event-store-append.bench')).appendBench(),
  read: async () => (await import('./event-store-read.bench')).readBench(),
  import: async () => (await import('./import.bench')).importBench(),
  rebuild: async () => (await import('./rebuild.bench')).rebuildBench(),
  pitr: async () => (await import('./pitr.bench')).pitrBench(),
  backup: async () => (await import('./backup.bench')).main(),
  reliability: async () => (await import('./reliability.bench')).reliabilityBench(),
  cloud: async () => (await import('./cloud.bench')).cloudBench(),
  globe: async () => (await import('./globe.bench')).globeBench(),
  postgres: async () => (await import('./postgres.bench')).postgresBench(),
  pgread: async () => (await import('./pg-read-models.bench')).pgReadModelsBench(),
};

async function main(): Promise<void> {
  const names = process.argv.slice(2);
  if (names.length === 1) {
    const run = benchmarks[names[0]];
    if (!run) throw new Error(`unknown benchmark ${names[0]}; one of: ${Object.keys(benchmarks).join(', ')}`);
    await run();
    return;
  }
  const selected = names.length > 0 ? names : Object.keys(benchmarks);
  for (const name of selected) {
    if (!benchmarks[name]) throw new Error(`unknown benchmark ${name}; one of: ${Object.keys(benchmarks).join(', ')}`);
  }
  for (const name of selected) {
    console.log(`\n=== ${name} ===`);
    const child = spawnSync(process.execPath, [...process.execArgv, __filename, name], { stdio: 'inherit', env: process.env });
    if (child.status !== 0) throw new Error(`benchmark ${name} failed (exit ${child.status ?? child.signal})`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
