import 'reflect-metadata';
import { TestApp, startApp } from '../support/app-harness';
import { ProgressGateway } from '../../src/gateway/progress.gateway';
import { catalogued } from './support/route-catalog';
import { SOCKET_MESSAGES } from './support/hostile-socket';

/**
 * The hostile-input harness fuzzes every route and every socket message it knows of; this proves it
 * knows of all of them: the catalogue equals the routes the app's router holds and the messages
 * the progress gateway subscribes to. A new route or message fails here until it is catalogued.
 */
describe('reliability: the fuzzed routes and messages are all there are (e2e, in process)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp({ SERVE_UI: 'false' });
  });
  afterAll(() => app.close());

  it('the route catalogue equals the router', () => {
    const router = app.app.getHttpAdapter().getInstance().router as { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
    const routes = router.stack
      .flatMap((layer) => (layer.route ? Object.keys(layer.route.methods).filter((m) => m !== '_all').map((m) => `${m.toUpperCase()} ${layer.route!.path}`) : []))
      .sort();
    expect(routes.length).toBeGreaterThan(40);
    expect(catalogued()).toEqual(routes);
  });

  it('the socket messages equal the gateway subscriptions', () => {
    const prototype = ProgressGateway.prototype as unknown as Record<string, unknown>;
    const messages = Object.getOwnPropertyNames(prototype)
      .map((name) => prototype[name])
      .filter((handler): handler is object => typeof handler === 'function')
      .map((handler) => Reflect.getMetadata('message', handler) as string | undefined)
      .filter((m): m is string => typeof m === 'string')
      .sort();
    expect(messages.length).toBeGreaterThan(0);
    expect([...SOCKET_MESSAGES].sort()).toEqual(messages);
  });
});
