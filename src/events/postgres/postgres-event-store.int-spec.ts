import { Client } from 'pg';
import { ManualClock } from '../../common/clock';
import { collect, location, locationsAdded, settingsChanged } from '../../../test/support/event-fixtures';
import { dropSchemas, freshSchemaName, postgresSkipReason, testDatabaseUrl } from '../../../test/support/postgres';
import { PostgresEventStore } from './postgres-event-store';

const skip = postgresSkipReason();
if (skip) console.warn(`PostgresEventStore spec SKIPPED: ${skip}`);
const describeWithPostgres = skip ? describe.skip : describe;

/** What only the PostgreSQL adapter has: the read horizon, epochs, start-up migration (the port's contract is event-store.contract.int-spec.ts). */
describeWithPostgres('PostgresEventStore', () => {
  const url = testDatabaseUrl()!;
  let schema: string;
  let clock: ManualClock;
  const stores: PostgresEventStore[] = [];
  const open = async () => {
    const store = await PostgresEventStore.open({ url, schema }, clock);
    stores.push(store);
    return store;
  };
  const sql = async <T>(text: string): Promise<T[]> => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(text)).rows as T[];
    } finally {
      await client.end();
    }
  };
  const until = async (done: () => Promise<boolean>) => {
    while (!(await done())) await new Promise((resolve) => setTimeout(resolve, 20));
  };

  beforeEach(() => {
    schema = freshSchemaName();
    clock = new ManualClock('2026-03-01T10:00:00.000Z');
  });
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    await dropSchemas(url, [schema]);
  });

  it('creates its schema idempotently when several processes start at once', async () => {
    const [a, b, c] = await Promise.all([open(), open(), open()]);
    await a.append('s', [settingsChanged({ theme: 'dark' })]);
    expect(await b.headPosition()).toBe(1);
    await (await open()).append('s', [settingsChanged({ theme: 'light' })]);
    expect((await collect(c.readAll())).map((e) => e.position)).toEqual([1, 2]);
  });

  it('keeps positions gapless when an append rolls back after inserting rows', async () => {
    const store = await open();
    const events = Array.from({ length: 1500 }, (_, i) => locationsAdded('1', [location(`l${i}`, i === 1200 ? { latitude: 91 } : {})]));
    await expect(store.append('dataset-1', events)).rejects.toMatchObject({ code: 'EVENTS.INVALID_EVENT' });
    expect(await sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.events`)).toEqual([{ n: 0 }]);
    expect(await store.append('dataset-1', [locationsAdded('1', [location('ok')])])).toMatchObject({ firstPosition: 1 });
  });

  it('hides committed events from readers while an older transaction is open anywhere, and reports the lag', async () => {
    const writer = await open();
    const reader = await open();
    await writer.append('s', [settingsChanged({ theme: 'dark' })]);
    await until(async () => (await reader.headPosition()) === 1);
    const holder = new Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_current_xact_id()');
      await writer.append('s', [settingsChanged({ theme: 'light' })]);
      // Committed, but behind the horizon: a reader that saw position 2 now could not be sure nothing below it was still coming.
      expect(await reader.headPosition()).toBe(1);
      expect((await collect(reader.readAll())).map((e) => e.position)).toEqual([1]);
      const lag = await reader.horizonLag();
      expect(lag.events).toBe(1);
      expect(lag.transactions).toBeGreaterThanOrEqual(1);
      await holder.query('COMMIT');
    } finally {
      await holder.end();
    }
    await until(async () => (await reader.headPosition()) === 2);
    expect((await reader.horizonLag()).events).toBe(0);
  });

  it('reads a restored log whose transaction ids are ahead of the server, and appends after it in a new epoch', async () => {
    const store = await open();
    await store.append('s', [settingsChanged({ theme: 'dark' }), settingsChanged({ theme: 'light' })]);
    // As after a dump restored into a cluster whose transaction counter is far lower than the one that wrote it.
    await sql(`UPDATE ${schema}.events SET transaction_id = (pg_current_xact_id()::text::numeric + 1000000000)::text::xid8;
               UPDATE ${schema}.head SET last_xid = (pg_current_xact_id()::text::numeric + 1000000000)::text::xid8`);
    // This store migrated before the restore: its readers see the rows through the head's own evidence of it.
    expect((await collect(store.readAll())).map((e) => e.position)).toEqual([1, 2]);
    expect(await store.headPosition()).toBe(2);
    // Its next append finds its transaction id below the head's and opens epoch 2.
    await store.append('s', [settingsChanged({ language: 'fr' })], 1);
    await until(async () => (await store.headPosition()) === 3);
    expect((await collect(store.readAll())).map((e) => [e.position, e.revision])).toEqual([[1, 0], [2, 1], [3, 2]]);
    expect(await sql<{ epoch: number }>(`SELECT epoch FROM ${schema}.events ORDER BY position`)).toEqual([{ epoch: 1 }, { epoch: 1 }, { epoch: 2 }]);
    expect(await store.verifyChain()).toMatchObject({ ok: true, verifiedThrough: 3 });
  });

  it('opens a new epoch at start-up after a restore, before anything is appended', async () => {
    await (await open()).append('s', [settingsChanged({ theme: 'dark' })]);
    await sql(`UPDATE ${schema}.events SET transaction_id = (pg_current_xact_id()::text::numeric + 1000000000)::text::xid8;
               UPDATE ${schema}.head SET last_xid = (pg_current_xact_id()::text::numeric + 1000000000)::text::xid8`);
    const restarted = await open();
    expect(await sql<{ epoch: number }>(`SELECT epoch FROM ${schema}.head`)).toEqual([{ epoch: 2 }]);
    expect(await restarted.headPosition()).toBe(1);
  });
});
