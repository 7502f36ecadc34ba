import { spawnSync } from 'node:child_process';
import { ProgressGateway } from '../../src/gateway/progress.gateway';
import { startInstance, TestInstance } from './support/gateway-test-app';
import { sleep } from './support/synthetic-jobs';
import { twoInstanceScenarios } from './support/two-instance-scenarios';

/** Needs a Redis at REDIS_URL, by default the local one; without one the suite says so and is skipped. */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redisAnswers = redisReachable(REDIS_URL);
if (!redisAnswers) console.warn(`no Redis answers at ${REDIS_URL}: the two-instance Redis tests are skipped`);

(redisAnswers ? describe : describe.skip)('progress gateway across two instances (Redis adapter)', () => {
  twoInstanceScenarios(async () => {
    const start = () => startInstance({ env: { REDIS_URL } });
    const pair: [TestInstance, TestInstance] = [await start(), await start()];
    await peersSeeEachOther(pair);
    return pair;
  });
});

it('with REDIS_URL pointing at no Redis, the start-up fails with GATEWAY.REDIS_UNREACHABLE instead of hanging', async () => {
  await expect(startInstance({ env: { REDIS_URL: 'redis://127.0.0.1:1' } })).rejects.toMatchObject({ code: 'GATEWAY.REDIS_UNREACHABLE' });
}, 15_000);

/** The Redis adapter counts the servers subscribed to the namespace's channel. */
async function peersSeeEachOther(instances: TestInstance[]): Promise<void> {
  for (let tries = 0; tries < 100; tries++) {
    const counts = await Promise.all(instances.map((i) => i.app.get(ProgressGateway).namespace.adapter.serverCount()));
    if (counts.every((count) => count >= instances.length)) return;
    await sleep(20);
  }
  throw new Error('the instances did not find each other through Redis');
}

/** Decided when the file loads (jest cannot choose describe or describe.skip asynchronously): a TCP connect in a child. */
function redisReachable(url: string): boolean {
  const { hostname, port } = new URL(url);
  const probe = `require('net').connect(${Number(port || 6379)}, ${JSON.stringify(hostname)}).on('connect', () => process.exit(0)).on('error', () => process.exit(1))`;
  return spawnSync(process.execPath, ['-e', probe], { timeout: 3000 }).status === 0;
}
