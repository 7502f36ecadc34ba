import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { createApp } from './create-app';

async function main(): Promise<void> {
  const app = await createApp();
  const { PORT, HOST, dataDir } = app.get(AppConfig).values;
  await app.listen(PORT, HOST);
  new Logger('GlobeVault').log(`listening on http://${HOST}:${PORT} with data in ${dataDir}`);
}

main().catch((error) => {
  // A bad configuration or an unreadable data directory: say so plainly and stop.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
