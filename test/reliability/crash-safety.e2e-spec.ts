import { killAllChildServers } from '../support/child-server';
import { crashFigures, runCrashScenario } from './crash-scenario';
import { RELIABILITY_SEED, RELIABILITY_SIZE, sized } from './support/reliability-scale';

/**
 * Crash safety (RELIABILITY.md): the real server, driven through everything it does and killed with
 * SIGKILL at random moments, loses no acknowledged write, half-applies no restore, lists no
 * unreadable backup, leaves no job running, and its projection rebuilt from the log equals the live
 * one. Quick: 5 kills; full (RELIABILITY_FULL=1 or `npm run bench -- reliability`): 50.
 */
describe('reliability: crash safety under random SIGKILLs (e2e, child process)', () => {
  afterAll(() => killAllChildServers());

  it(
    'after every kill and restart, every guarantee holds',
    async () => {
      const report = await runCrashScenario({
        kills: RELIABILITY_SIZE.kills,
        seed: RELIABILITY_SEED,
        workers: 3,
        killAfterMs: { min: 300, spread: 2500 },
        log: sized(undefined, (line: string) => console.log(line)),
      });
      console.log(crashFigures(report));
      expect(report.problems).toEqual([]);
      // the kills hit running jobs, not only edits (otherwise the run proved less than it says)
      expect(Object.keys(report.killedDuring).filter((k) => k !== 'edits').length).toBeGreaterThan(0);
    },
    sized(180_000, 3_600_000),
  );
});
