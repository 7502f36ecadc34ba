import { Logger } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { WriteGate } from '../write-gate';
import { PostgresEventStore } from './postgres-event-store';

/** The configuration values the PostgreSQL event store needs (from AppConfig: DATABASE_URL, and an optional schema). */
export interface PostgresEventStoreConfig {
  databaseUrl: string;
  eventStoreSchema?: string;
}

/**
 * The EventStore for `EVENT_STORE=postgres`, for events.module.ts's factory (async: the schema is
 * created or migrated, and a restore's new epoch opened, before the app starts; a wrong URL fails
 * the start-up here). Usage in the module's provider:
 *   useFactory: (config, clock, gate) => config.values.eventStore === 'postgres'
 *     ? createPostgresEventStore({ databaseUrl: config.values.databaseUrl! }, clock, gate) : …
 */
export async function createPostgresEventStore(config: PostgresEventStoreConfig, clock: Clock, gate: WriteGate): Promise<PostgresEventStore> {
  const store = await PostgresEventStore.open({ url: config.databaseUrl, schema: config.eventStoreSchema }, clock, gate);
  const lag = await store.horizonLag();
  new Logger('EventStore').log(`PostgreSQL event log ready (schema ${config.eventStoreSchema ?? 'globe_vault'}; read horizon ${lag.transactions} transactions behind)`);
  return store;
}
