import { killAllChildServers } from '../support/child-server';
import { loadFigures, runLoadScenario } from './load-scenario';
import { RELIABILITY_SEED, RELIABILITY_SIZE, sized } from './support/reliability-scale';

/**
 * Load (RELIABILITY.md): concurrent writers while backups, snapshots and compactions run; every
 * acknowledged write in the log exactly once. Quick: 10 s over 20,000 locations; full
 * (RELIABILITY_FULL=1 or `npm run bench -- reliability`): 60 s over 200,000.
 */
describe('reliability: concurrent writers during backups, snapshots and compactions (e2e, child process)', () => {
  afterAll(() => killAllChildServers());

  it(
    'every acknowledged write is in the log exactly once, and the figures are reported',
    async () => {
      const report = await runLoadScenario({ seconds: RELIABILITY_SIZE.loadSeconds, writers: 8, seedRows: RELIABILITY_SIZE.loadSeedRows, seed: RELIABILITY_SEED });
      console.log(loadFigures(report));
      expect(report.problems).toEqual([]);
      expect(report.acknowledged).toBeGreaterThan(0);
    },
    sized(120_000, 1_200_000),
  );
});
