import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import { Clock, SystemClock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { EventStore } from './event-store';
import { openPostgresEventStore } from './open-postgres-event-store';
import { SqliteEventStore } from './sqlite/sqlite-event-store';
import { WriteGate } from './write-gate';

/** The log EVENT_STORE names (README "Past one machine"), opened so that a bad server stops the start-up rather than the first request. */
export async function openEventStore(config: AppConfig, clock: Clock, gate: WriteGate): Promise<EventStore> {
  const v = config.values;
  const logger = new Logger('EventStore');
  switch (v.EVENT_STORE) {
    case 'postgres':
      // The config refuses EVENT_STORE=postgres without DATABASE_URL.
      return openPostgresEventStore(v.DATABASE_URL!, clock, gate);
    case 'kurrentdb': {
      // Loaded only here: the client (gRPC, protobufs, a native bridge) takes seconds to load, which every other deployment would pay at start-up.
      const { KurrentDbEventStore } = await import('./kurrentdb/kurrentdb-event-store');
      const store = new KurrentDbEventStore(v.KURRENTDB_URL!, clock, gate);
      try {
        logger.log(`the log is in KurrentDB, at position ${await store.headPosition()}`);
      } catch (error) {
        await store.close().catch(() => undefined);
        throw new Error(`KURRENTDB_URL: KurrentDB could not be read at start-up (${(error as Error).name}: ${(error as Error).message})`);
      }
      return store;
    }
    case 'sqlite': {
      const store = new SqliteEventStore(join(v.dataDir, 'events.sqlite'), clock, gate);
      if (store.chainMigrated > 0) logger.log(`gave ${store.chainMigrated} events of a log older than the hash chain their chain hash`);
      return store;
    }
  }
}

/** The log, the clock and the write gate, for every module. The embedded default keeps the log in `<DATA_DIR>/events.sqlite`. */
@Global()
@Module({
  providers: [
    { provide: Clock, useClass: SystemClock },
    WriteGate,
    { provide: EventStore, inject: [AppConfig, Clock, WriteGate], useFactory: openEventStore },
  ],
  exports: [EventStore, Clock, WriteGate],
})
export class EventsModule implements OnApplicationShutdown {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
