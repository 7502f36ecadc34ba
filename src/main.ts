import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { createApp } from './create-app';
import { EventStore } from './events/event-store';
import { Projector } from './projections/projector';

async function main(): Promise<void> {
  const app = await createApp();
  const { PORT, HOST, dataDir } = app.get(AppConfig).values;
  // Answer only once the read models hold the whole log: after a crash they may be behind, and a
  // read must never show a write (an import, a restore) half applied. init() starts the projector.
  await app.init();
  await app.get(Projector).waitFor(await app.get(EventStore).headPosition(), 24 * 3600_000);
  await app.listen(PORT, HOST);
  new Logger('GlobeVault').log(`listening on http://${HOST}:${PORT} with data in ${dataDir}`);
}

main().catch((error) => {
  // A bad configuration or an unreadable data directory: say so plainly and stop.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
