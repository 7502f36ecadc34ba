import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import { Clock, SystemClock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { EventStore } from './event-store';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

/** The log and the clock, for every module. The embedded default keeps the log in `<DATA_DIR>/events.sqlite`. */
@Global()
@Module({
  providers: [
    { provide: Clock, useClass: SystemClock },
    {
      provide: EventStore,
      inject: [AppConfig, Clock],
      useFactory: (config: AppConfig, clock: Clock) => {
        const store = new SqliteEventStore(join(config.values.dataDir, 'events.sqlite'), clock);
        if (store.chainMigrated > 0) new Logger('EventStore').log(`gave ${store.chainMigrated} events of a log older than the hash chain their chain hash`);
        return store;
      },
    },
  ],
  exports: [EventStore, Clock],
})
export class EventsModule implements OnApplicationShutdown {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
