import { AppError } from '../common/app-error';
import { Clock } from '../common/clock';
import { EventStore } from './event-store';
import { WriteGate } from './write-gate';

/** The factory of the PostgreSQL log (branch `pgstore`): loaded only when EVENT_STORE=postgres. */
const POSTGRES_STORE_MODULE = './postgres/create-postgres-event-store';

interface PostgresStoreModule {
  createPostgresEventStore(config: { databaseUrl: string }, clock: Clock, gate: WriteGate): Promise<EventStore>;
}

/**
 * EVENT_STORE=postgres. LEAD, WHEN MERGING pgstore: replace this dynamic require with a static
 * import of `createPostgresEventStore` in events.module.ts (and delete this file). Until then a
 * build without src/events/postgres/ refuses the setting at start-up with a clear error.
 */
export async function openPostgresEventStore(databaseUrl: string, clock: Clock, gate: WriteGate): Promise<EventStore> {
  let loaded: PostgresStoreModule;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require(POSTGRES_STORE_MODULE) as PostgresStoreModule;
  } catch (error) {
    // Only the module itself missing: one of ITS imports missing is another error, reported as it is.
    if (!(error as Error).message.startsWith(`Cannot find module '${POSTGRES_STORE_MODULE}'`)) throw error;
    throw new AppError('EVENTS.STORE_UNAVAILABLE', 'EVENT_STORE=postgres: this build has no PostgreSQL event store (src/events/postgres/)', 501);
  }
  return loaded.createPostgresEventStore({ databaseUrl }, clock, gate);
}
