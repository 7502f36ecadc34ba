import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { SystemClock } from '../../common/clock';
import { dropSchemas, freshSchemaName, postgresSkipReason, testDatabaseUrl } from '../../../test/support/postgres';
import { RecordedEvent } from '../event-store';
import { PostgresEventStore } from './postgres-event-store';

const skip = postgresSkipReason();
if (skip) console.warn(`PostgresEventStore processes spec SKIPPED: ${skip}`);
const describeWithPostgres = skip ? describe.skip : describe;

const WRITER = join(__dirname, 'testing', 'concurrent-writer.ts');
const APPENDS = 60;

/**
 * Writer PROCESSES commit concurrently to one log while a subscriber here follows it: one writer
 * holds its append's transaction open 1.5 s with 1,000 rows inserted, another holds a transaction
 * id open 1.5 s on the side (the read horizon stays behind it) while appends go on. The subscriber
 * must see every event exactly once, in position order, with no gap, and each writer's events in
 * the order it wrote them. Bounded by events (a few thousand), never by time.
 */
describeWithPostgres('PostgresEventStore under concurrent writer processes', () => {
  const url = testDatabaseUrl()!;
  const schema = freshSchemaName();
  let store: PostgresEventStore;

  beforeAll(async () => {
    store = await PostgresEventStore.open({ url, schema }, new SystemClock());
  });
  afterAll(async () => {
    await store?.close();
    await dropSchemas(url, [schema]);
  });

  it('delivers every event exactly once, in order, with no gap that later fills', async () => {
    const controller = new AbortController();
    const seen: RecordedEvent[] = [];
    let expectedTotal = Infinity;
    const subscriber = (async () => {
      for await (const batch of store.subscribe(1, { signal: controller.signal, batchSize: 100 })) {
        seen.push(...batch);
        if (seen.length >= expectedTotal) controller.abort();
      }
    })();

    const run = promisify(execFile);
    const writers = (['append', 'horizon', 'none'] as const).map((hold, writer) =>
      run(process.execPath, ['-r', '@swc-node/register', WRITER, url, schema, String(writer), String(APPENDS), hold], { maxBuffer: 1 << 20 }),
    );
    const reports = (await Promise.all(writers)).map(({ stdout }) => JSON.parse(stdout.trim().split('\n').pop()!) as { writer: number; events: number });
    expectedTotal = reports.reduce((sum, r) => sum + r.events, 0);
    expect(expectedTotal).toBeGreaterThan(1100 + 2 * APPENDS);
    if (seen.length >= expectedTotal) controller.abort();
    await subscriber;

    expect(seen.length).toBe(expectedTotal);
    seen.forEach((e, i) => expect(e.position).toBe(i + 1));
    for (const { writer, events } of reports) {
      const ids = seen.filter((e) => e.stream === `dataset-w${writer}`).map((e) => (e.data as { locations: Array<{ id: string }> }).locations[0].id);
      expect(ids).toEqual(Array.from({ length: events }, (_, k) => `w${writer}-${k}`));
    }
    expect(await store.verifyChain()).toMatchObject({ ok: true, verifiedThrough: expectedTotal });

    // The order readers use (position) is the order of (epoch, transaction id): ids were taken under the lock.
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT count(*)::int AS back FROM (SELECT (epoch, transaction_id) < lag((epoch, transaction_id)) OVER (ORDER BY position) AS back FROM ${schema}.events) q WHERE back`,
      );
      expect(rows[0].back).toBe(0);
    } finally {
      await client.end();
    }
  }, 300_000);
});
