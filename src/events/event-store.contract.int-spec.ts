import { join } from 'node:path';
import { ManualClock } from '../common/clock';
import { ContractFactory, eventStoreContract } from '../../test/support/event-store-contract';
import { tempDir } from '../../test/support/event-fixtures';
import { dropSchemas, freshSchemaName, postgresSkipReason, testDatabaseUrl } from '../../test/support/postgres';
import { EventStore } from './event-store';
import { PostgresEventStore } from './postgres/postgres-event-store';
import { SqliteEventStore } from './sqlite/sqlite-event-store';
import { WriteGate } from './write-gate';

/** Every adapter of the EventStore port passes the one contract (test/support/event-store-contract.ts): one line each. */

const sqlite: ContractFactory = async (clock, gate) => {
  const dir = tempDir();
  let n = 0;
  return {
    store: new SqliteEventStore(join(dir.dir, 'events.sqlite'), clock, gate),
    openSameLog: async () => new SqliteEventStore(join(dir.dir, 'events.sqlite'), clock),
    openEmptyLog: async (g?: WriteGate) => new SqliteEventStore(join(dir.dir, `empty-${++n}.sqlite`), clock, g),
    cleanup: async () => dir.cleanup(),
  };
};

const postgres: ContractFactory =
  postgresSkipReason() ??
  (async (clock: ManualClock, gate: WriteGate) => {
    const url = testDatabaseUrl()!;
    const schemas = [freshSchemaName()];
    const open = (schema: string, g?: WriteGate) => PostgresEventStore.open({ url, schema }, clock, g);
    return {
      store: await open(schemas[0], gate),
      openSameLog: () => open(schemas[0]),
      openEmptyLog: (g?: WriteGate) => open(schemas[schemas.push(freshSchemaName()) - 1], g),
      cleanup: () => dropSchemas(url, schemas),
    };
  });

/**
 * KurrentDB runs only against a server (KURRENTDB_URL); its adapter (src/events/kurrentdb/, branch
 * `kurrent`) is loaded only then. Every log of one server shares `$all`, so an "empty log" is a
 * fresh server: the adapter's tests that need one say so.
 */
const kurrentdb: ContractFactory = process.env.KURRENTDB_URL
  ? async (clock, gate) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { KurrentDbEventStore } = require('./kurrentdb/kurrentdb-event-store') as { KurrentDbEventStore: new (url: string, clock: ManualClock, gate?: WriteGate) => EventStore };
      const url = process.env.KURRENTDB_URL!;
      return {
        store: new KurrentDbEventStore(url, clock, gate),
        openSameLog: async () => new KurrentDbEventStore(url, clock),
        openEmptyLog: async (g?: WriteGate) => new KurrentDbEventStore(url, clock, g),
        cleanup: async () => undefined,
      };
    }
  : 'KURRENTDB_URL is not set (no KurrentDB server on this machine)';

eventStoreContract('SqliteEventStore', sqlite);
eventStoreContract('PostgresEventStore', postgres);
eventStoreContract('KurrentDbEventStore', kurrentdb);
