import { spawnSync } from 'node:child_process';
import { driverBench } from './driver.bench';
import { appendBench } from './event-store-append.bench';
import { readBench } from './event-store-read.bench';

/**
 * `npm run bench` runs every benchmark, each in its own child process (a clean heap and its own
 * peak RSS); `npm run bench -- <name>` runs one in this process. `BENCH_SCALE=0.1` for a quick try.
 */
const benchmarks: Record<string, () => Promise<void>> = {
  driver: driverBench,
  append: appendBench,
  read: readBench,
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
