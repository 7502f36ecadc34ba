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
  const genesis = Buffer.from(GENESIS_HASH, 'hex');

  it('matches the known-answer vector (computed independently, with Python hashlib, from the documented encoding)', () => {
    const h1 = hash(genesis, first);
    expect(h1.toString('hex')).toBe('6f72bbe568c8b284af9e81abb66976cde812e3b164112380dd9df227ad424dad');
    expect(hash(h1, second).toString('hex')).toBe('b0513341fc9417739c94354dc671805b1814702c2f81125f6718178c24de08e6');
  });

  it('changes with every covered field and with the previous hash', () => {
    const base = hash(genesis, first).toString('hex');
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
    for (const edit of edits) expect(hash(genesis, { ...first, ...edit }).toString('hex')).not.toBe(base);
    expect(hash(Buffer.alloc(32, 1), first).toString('hex')).not.toBe(base);
  });

  it('does not let text move between fields (the length prefixes)', () => {
    const a = hash(genesis, { ...first, stream: 'ab', type: 'c' });
    const b = hash(genesis, { ...first, stream: 'a', type: 'bc' });
    const c = hash(genesis, { ...first, metadata: '{}x', data: '{}' });
    const d = hash(genesis, { ...first, metadata: '{}', data: 'x{}' });
    expect(a.equals(b)).toBe(false);
    expect(c.equals(d)).toBe(false);
  });
});
