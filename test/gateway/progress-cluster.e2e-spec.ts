import { startInstance, TestInstance } from './support/gateway-test-app';
import { InProcessCluster } from './support/in-process-cluster';
import { twoInstanceScenarios } from './support/two-instance-scenarios';

describe('progress gateway across two instances (in-process cluster adapter)', () => {
  const cluster = new InProcessCluster();
  twoInstanceScenarios(async () => {
    const start = () => startInstance({ configure: (app) => app.useWebSocketAdapter(cluster.ioAdapter(app)) });
    const pair: [TestInstance, TestInstance] = [await start(), await start()];
    await cluster.formed('/progress', 2);
    return pair;
  });
});
