import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { createApp } from './create-app';
import { EventStore } from './events/event-store';
import { Projector } from './projections/projector';

/**
 * Runs the server until it is stopped: the one entry behind `npm start`, `globe-vault serve` and
 * `node dist/main.js`. Configuration comes from the environment (src/config/app-config.ts).
 */
export async function serve(): Promise<void> {
  const app = await createApp();
  const { PORT, HOST, dataDir } = app.get(AppConfig).values;
  // Answer only once the read models hold the whole log: after a crash they may be behind, and a
  // read must never show a write (an import, a restore) half applied. init() starts the projector.
  await app.init();
  await app.get(Projector).waitFor(await app.get(EventStore).headPosition(), 24 * 3600_000);
  await app.listen(PORT, HOST);
  new Logger('GlobeVault').log(`listening on http://${HOST}:${PORT} with data in ${dataDir}`);
}
