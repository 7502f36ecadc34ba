import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ManualClock } from '../common/clock';
import { ContractFactory, eventStoreContract } from '../../test/support/event-store-contract';
import { tempDir } from '../../test/support/event-fixtures';
import { dropSchemas, freshSchemaName, postgresSkipReason, testDatabaseUrl } from '../../test/support/postgres';
import { KurrentDbEventStore } from './kurrentdb/kurrentdb-event-store';
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
 * KurrentDB runs only against a server (KURRENTDB_URL; none can run on the development machines):
 * each log is its own namespace of stream names on that server (KurrentDbEventStoreOptions).
 */
const kurrentdb: ContractFactory = process.env.KURRENTDB_URL
  ? async (clock, gate) => {
      const url = process.env.KURRENTDB_URL!;
      const namespace = () => `contract-${randomBytes(6).toString('hex')}-`;
      const mine = namespace();
      return {
        store: new KurrentDbEventStore(url, clock, gate, { namespace: mine }),
        openSameLog: async () => new KurrentDbEventStore(url, clock, undefined, { namespace: mine }),
        openEmptyLog: async (g?: WriteGate) => new KurrentDbEventStore(url, clock, g, { namespace: namespace() }),
        cleanup: async () => undefined,
      };
    }
  : 'KURRENTDB_URL is not set (no KurrentDB server on this machine)';

eventStoreContract('SqliteEventStore', sqlite);
eventStoreContract('PostgresEventStore', postgres);
eventStoreContract('KurrentDbEventStore', kurrentdb);
