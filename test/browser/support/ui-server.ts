import { TestApp, startApp } from '../../support/app-harness';
import { ensureWebBuild } from './web-build';

export interface UiServer {
  url: string;
  api: TestApp['http'];
  close(): Promise<void>;
}

/**
 * The real application, in-process, on a fresh DATA_DIR and an ephemeral port, serving the built UI
 * at / exactly as `npm start` does (the build is made first when missing or stale). `env` adds
 * configuration for this server only (e.g. AUTH_REQUIRED).
 */
export async function startUiServer(env: Record<string, string> = {}): Promise<UiServer> {
  await ensureWebBuild();
  const app = await startApp(env);
  const address = app.app.getHttpServer().address();
  if (!address || typeof address === 'string') throw new Error('the app is not listening on a TCP port');
  return { url: `http://127.0.0.1:${address.port}`, api: app.http, close: () => app.close() };
}
