import { ChainedEvent, GENESIS_HASH, eventChainHasher } from './event-chain';

const first: ChainedEvent = {
  position: 1,
  eventId: 'e-1',
  stream: 'dataset-ds-1',
  revision: 0,
  type: 'DatasetCreated',
  schemaVersion: 1,
  data: '{"dataset":{"id":"ds-1","name":"Zürich"}}',
  metadata: '{"actor":"ann","source":"api"}',
  recordedAt: 1767225600000,
};
const second: ChainedEvent = {
  position: 2,
  eventId: 'e-2',
  stream: 'dataset-ds-1',
  revision: 1,
  type: 'DatasetRenamed',
  schemaVersion: 1,
  data: '{"datasetId":"ds-1","name":"🌍"}',
  metadata: '{"actor":"bob"}',
  recordedAt: 1767225600001,
};

describe('the event hash chain', () => {
  const hash = eventChainHasher().hash;
  const genesis = GENESIS_HASH;

  it('matches the known-answer vector (computed independently, with Python hashlib, from the documented encoding)', () => {
    const h1 = hash(genesis, first);
    expect(h1).toBe('49b291b1c9486b8847e1f0b51894b7a0677ecf01ad0a7136b879a2479097cea3');
    expect(hash(h1, second)).toBe('1c56a3fa0295d5f64935d5fd9ac8cfbb3baaa12139422b8900ae52c991d7b216');
  });

  it('changes with every covered field and with the previous hash', () => {
    const base = hash(genesis, first);
    const edits: Array<Partial<ChainedEvent>> = [
      { position: 2 },
      { eventId: 'e-x' },
      { stream: 'dataset-ds-2' },
      { revision: 1 },
      { type: 'DatasetRenamed' },
      { schemaVersion: 2 },
      { data: first.data.replace('Zürich', 'Zurich') },
      { metadata: '{"actor":"eve","source":"api"}' },
      { recordedAt: first.recordedAt + 1 },
    ];
    for (const edit of edits) expect(hash(genesis, { ...first, ...edit })).not.toBe(base);
    expect(hash('1'.repeat(64), first)).not.toBe(base);
  });

  it('does not let text move between fields (the length prefixes)', () => {
    const a = hash(genesis, { ...first, stream: 'ab', type: 'c' });
    const b = hash(genesis, { ...first, stream: 'a', type: 'bc' });
    const c = hash(genesis, { ...first, metadata: '{}x', data: '{}' });
    const d = hash(genesis, { ...first, metadata: '{}', data: 'x{}' });
    expect(a).not.toBe(b);
    expect(c).not.toBe(d);
  });
});
