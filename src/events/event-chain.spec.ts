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
  const hash = eventChainHasher();
  const genesis = GENESIS_HASH;

  it('matches the known-answer vector (computed independently, with Python hashlib, from the documented encoding)', () => {
    const h1 = hash(genesis, first);
    expect(h1).toBe('270299e9d0c13d4b1aac72da36249f3821d4ef50f73b6e6e3b8c3cbea223a086');
    expect(hash(h1, second)).toBe('827ecb43a04e63e172d639fb5f4d47345d7af97f5d7fdda15f0d000bdd94e44e');
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
