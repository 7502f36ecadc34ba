import type { ResolvedEvent } from '@kurrent/kurrentdb-client';
import { ChainedEvent, GENESIS_HASH, eventChainHasher } from '../event-chain';
import { NewEventSerializer } from '../serialize-new-event';
import { location, locationsAdded, testMetadata } from '../../../test/support/event-fixtures';
import { KurrentNames, chainedOf, eventRecord, recordIdOf, storedEventOf } from './kurrentdb-records';
import { logQueryMatches } from './kurrentdb-query';

/**
 * The encoding of an event into a KurrentDB record and back (pure; the adapter's integration spec,
 * kurrentdb-event-store.int-spec.ts, runs it against a server). The record is turned into what a
 * read returns as the client documents it: JSON data parsed, metadata the appended string
 * properties plus the server's own `$schema.*` ones.
 */
describe('KurrentDB records', () => {
  const hash = eventChainHasher().hash;
  const names = new KurrentNames('t1.');
  const serialized = new NewEventSerializer().serialize({
    ...locationsAdded('d1', [location('a', { name: 'Zürich "HB"', properties: { '10': 'x', b: 1.5 } })]),
    eventId: 'ev-1',
  });
  const chained: ChainedEvent = { ...serialized, eventId: 'ev-1', position: 7, stream: 'dataset-d1', revision: 3, recordedAt: Date.parse('2026-03-01T10:00:00.000Z') };
  const stored = hash(GENESIS_HASH, chained);

  const asRead = (streamId: string): ResolvedEvent => {
    const record = eventRecord(chained, stored);
    return {
      event: {
        streamId,
        id: record.id,
        isJson: true,
        revision: 3n,
        type: record.type,
        created: new Date(),
        data: JSON.parse(JSON.stringify(record.data)) as Record<string, unknown>,
        metadata: { ...(record.metadata as Record<string, string>), '$schema.format': 'Json', '$schema.name': record.type },
        position: { commit: 1000n, prepare: 1000n },
      },
    } as ResolvedEvent;
  };

  it('reads back every field the chain covers, so the hash recomputed from the read is the stored one', () => {
    const read = storedEventOf(asRead('t1.dataset-d1'), names);
    expect(read?.hash).toBe(stored);
    expect(chainedOf(read!.row)).toEqual(chained);
    expect(hash(GENESIS_HASH, chainedOf(read!.row))).toBe(stored);
  });

  it('is not fooled by records that are not this log\'s events: the head stream, another namespace, foreign events', () => {
    expect(storedEventOf(asRead('t1.globe-vault.head'), names)).toBeNull();
    expect(storedEventOf(asRead('t2.dataset-d1'), names)).toBeNull();
    const foreign = asRead('t1.orders');
    foreign.event!.metadata = { correlationId: 'x' };
    expect(storedEventOf(foreign, names)).toBeNull();
    expect(new KurrentNames().ofStream('settings')).toBe('settings');
  });

  it('keeps UUID event ids as record ids and maps any other id to one stable UUID', () => {
    const uuid = '0190f7c2-7a1b-7c3d-8e4f-0123456789ab';
    expect(recordIdOf(uuid)).toBe(uuid);
    expect(recordIdOf('ev-1')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(recordIdOf('ev-1')).toBe(recordIdOf('ev-1'));
    expect(recordIdOf('ev-1')).not.toBe(recordIdOf('ev-2'));
  });

  it('filters an audit query as the SQLite WHERE clause does', () => {
    const row = storedEventOf(asRead('t1.dataset-d1'), names)!.row;
    const q = { direction: 'forward' as const, limit: 10 };
    expect(logQueryMatches({ ...q, datasetId: 'd1' }, row)).toBe(true);
    expect(logQueryMatches({ ...q, datasetId: 'd2' }, row)).toBe(false);
    expect(logQueryMatches({ ...q, actor: testMetadata().actor, types: ['LocationsAdded'] }, row)).toBe(true);
    expect(logQueryMatches({ ...q, actor: 'someone-else' }, row)).toBe(false);
    expect(logQueryMatches({ ...q, afterPosition: 7 }, row)).toBe(false);
    expect(logQueryMatches({ ...q, direction: 'backward', afterPosition: 8 }, row)).toBe(true);
    expect(logQueryMatches({ ...q, fromTime: '2026-03-01T10:00:00.001Z' }, row)).toBe(false);
  });
});
