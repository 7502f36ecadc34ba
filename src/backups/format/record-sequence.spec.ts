import { StateHasher } from '../../domain/state-hash';
import { BackupRecord } from './backup-record';
import { RecordSequence } from './record-sequence';
import { smallState } from './testing/generated-state';

describe('RecordSequence', () => {
  const state = smallState(3);
  const of = (t: BackupRecord['t']) => state.filter((r) => r.t === t);

  it('counts per kind and hashes the state records as StateHasher does', () => {
    const sequence = new RecordSequence(true);
    for (const record of state) expect(sequence.add(record)).toBeNull();
    expect(sequence.counts).toEqual({ datasets: 1, locations: 3, settings: 1, configurations: 1, events: 5 });
    const hasher = new StateHasher();
    for (const r of state) {
      if (r.t === 'dataset') hasher.dataset(r.v);
      if (r.t === 'location') hasher.location(r.v);
      if (r.t === 'settings') hasher.settings(r.v);
      if (r.t === 'configuration') hasher.configuration(r.v);
    }
    expect(sequence.stateHash()).toBe(hasher.digest());
  });

  it.each([
    ['a kind after a later kind', [of('location')[0], of('dataset')[0]], /a dataset record after the location records/],
    ['a second settings record', [of('settings')[0], of('settings')[0]], /a second settings record/],
    ['events whose positions do not ascend', [of('event')[1], of('event')[0]], /event position 1 after position 2/],
  ])('refuses %s and leaves its counts as they were', (_name, records, message) => {
    const sequence = new RecordSequence(true);
    expect(sequence.add(records[0])).toBeNull();
    const before = { ...sequence.counts };
    expect(sequence.add(records[1])).toMatch(message);
    expect(sequence.counts).toEqual(before);
  });

  it('refuses events when the backup has no history', () => {
    expect(new RecordSequence(false).add(of('event')[0])).toMatch(/no history/);
  });
});
