import { cpus, freemem, totalmem } from 'node:os';
import { crashFigures, runCrashScenario } from '../test/reliability/crash-scenario';
import { diskFullFigures, runDiskFullScenario } from '../test/reliability/disk-full-scenario';
import { hostileFigures, runHostileInputScenario } from '../test/reliability/hostile-input-scenario';
import { loadFigures, runLoadScenario } from '../test/reliability/load-scenario';
import { RELIABILITY_SEED, RELIABILITY_SIZES } from '../test/reliability/support/reliability-scale';
import { killAllChildServers } from '../test/support/child-server';

/**
 * `npm run bench -- reliability`: the full runs of the reliability harnesses (the same scenarios
 * the quick specs in test/reliability run, at RELIABILITY_SIZES.full) against `node dist/main.js`,
 * built first (unless RELIABILITY_NO_BUILD=1). `RELIABILITY_ONLY=crash,hostile,load,disk` picks some. Prints every figure
 * RELIABILITY.md reports and every problem; exits non-zero when there is one.
 */
const HARNESSES = {
  crash: async () => {
    const r = await runCrashScenario({ kills: RELIABILITY_SIZES.full.kills, seed: RELIABILITY_SEED, workers: 3, killAfterMs: { min: 300, spread: 2500 }, log: console.log });
    return { figures: crashFigures(r), problems: r.problems };
  },
  hostile: async () => {
    const r = await runHostileInputScenario({ requests: RELIABILITY_SIZES.full.requests, socketEvery: 10, seed: RELIABILITY_SEED, log: console.log });
    return { figures: hostileFigures(r), problems: r.problems };
  },
  load: async () => {
    const size = RELIABILITY_SIZES.full;
    const baseline = await runLoadScenario({ seconds: size.loadSeconds, writers: 8, seedRows: size.loadSeedRows, seed: RELIABILITY_SEED, background: false });
    const r = await runLoadScenario({ seconds: size.loadSeconds, writers: 8, seedRows: size.loadSeedRows, seed: RELIABILITY_SEED });
    return { figures: `${loadFigures(baseline)}\n${loadFigures(r)}`, problems: [...baseline.problems, ...r.problems] };
  },
  disk: async () => {
    const r = await runDiskFullScenario({ dataMegabytes: 48, backupMegabytes: 8, seedRows: 5000, seed: RELIABILITY_SEED });
    return { figures: diskFullFigures(r), problems: r.problems };
  },
};

export async function reliabilityBench(): Promise<void> {
  // the harnesses run the built server, as `npm start` does: build it as jest's global setup does
  // (RELIABILITY_NO_BUILD=1 when another run uses dist/ meanwhile: a rebuild under it breaks its restarts)
  if (process.env.RELIABILITY_NO_BUILD !== '1') await require('../test/support/build-server.global-setup.js')();
  const only = (process.env.RELIABILITY_ONLY ?? Object.keys(HARNESSES).join(',')).split(',') as (keyof typeof HARNESSES)[];
  console.log(`reliability, full size, seed ${RELIABILITY_SEED}, ${new Date().toISOString()}; ${cpus().length} × ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB (${(freemem() / 2 ** 30).toFixed(0)} free)`);
  let problems = 0;
  try {
    for (const name of only) {
      const run = HARNESSES[name];
      if (!run) throw new Error(`unknown harness ${name}; one of ${Object.keys(HARNESSES).join(', ')}`);
      console.log(`\n--- ${name} ---`);
      const result = await run();
      console.log(result.figures);
      for (const p of result.problems) console.log(`PROBLEM ${p}`);
      problems += result.problems.length;
    }
  } finally {
    await killAllChildServers();
  }
  if (problems > 0) throw new Error(`${problems} problems (listed above)`);
}
