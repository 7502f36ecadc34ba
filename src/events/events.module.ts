import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import { Clock, SystemClock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { EventStore } from './event-store';
import { SqliteEventStore } from './sqlite/sqlite-event-store';
import { WriteGate } from './write-gate';

/** The log, the clock and the write gate, for every module. The embedded default keeps the log in `<DATA_DIR>/events.sqlite`. */
@Global()
@Module({
  providers: [
    { provide: Clock, useClass: SystemClock },
    WriteGate,
    {
      provide: EventStore,
      inject: [AppConfig, Clock, WriteGate],
      useFactory: (config: AppConfig, clock: Clock, gate: WriteGate) => {
        const store = new SqliteEventStore(join(config.values.dataDir, 'events.sqlite'), clock, gate);
        if (store.chainMigrated > 0) new Logger('EventStore').log(`gave ${store.chainMigrated} events of a log older than the hash chain their chain hash`);
        return store;
      },
    },
  ],
  exports: [EventStore, Clock, WriteGate],
})
export class EventsModule implements OnApplicationShutdown {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
