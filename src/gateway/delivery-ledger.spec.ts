import { JobView } from '../jobs/job';
import { DeliveryLedger } from './delivery-ledger';

const view = (overrides: Partial<JobView>): JobView => ({
  id: 'job-1',
  kind: 'import',
  state: 'running',
  phase: 'reading',
  done: 0,
  total: 10,
  bytes: 0,
  bytesTotal: null,
  rate: null,
  etaSeconds: null,
  actor: 'tester',
  params: {},
  result: null,
  error: null,
  cancellable: true,
  createdAt: '2026-01-01T00:00:00.000Z',
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: null,
  updatedAt: '2026-01-01T00:00:01.000Z',
  ...overrides,
});
const at = (second: number, overrides: Partial<JobView> = {}) => view({ updatedAt: `2026-01-01T00:00:0${second}.000Z`, done: second, ...overrides });
const completedAt = (second: number) => at(second, { state: 'completed', phase: 'done' });

describe('DeliveryLedger', () => {
  it('admits live views in order (the first of a job as its state), never an older one, and the final once, then nothing', () => {
    const ledger = new DeliveryLedger();
    expect(ledger.admitLive(at(2))).toBe('first');
    expect(ledger.admitLive(at(1))).toBeNull();
    expect(ledger.admitLive(at(2, { phase: 'same instant' }))).toBe('next');
    expect(ledger.admitLive(completedAt(3))).toBe('next');
    expect(ledger.admitLive(completedAt(3))).toBeNull();
    expect(ledger.admitLive(at(4))).toBeNull();
  });

  it('answers a subscribe with the latest view it knows, and owes the final event only once', () => {
    const ledger = new DeliveryLedger();
    ledger.admitLive(at(3));
    expect(ledger.answer(at(1))).toEqual({ state: at(3), finalOwed: false });
    expect(ledger.answer(completedAt(4))).toEqual({ state: completedAt(4), finalOwed: true });
    expect(ledger.answer(completedAt(4))).toEqual({ state: completedAt(4), finalOwed: false });
    expect(ledger.admitLive(completedAt(4))).toBeNull();
  });

  it('does not owe a final event the socket already received live', () => {
    const ledger = new DeliveryLedger();
    ledger.admitLive(completedAt(2));
    expect(ledger.answer(at(1))).toEqual({ state: completedAt(2), finalOwed: false });
  });

  it('holds a view only while every room that brought it is being answered, and hands over the latest per job', () => {
    const ledger = new DeliveryLedger();
    ledger.beginAnswer('job:job-1');
    expect(ledger.hold(['job:job-1', 'all'], at(1))).toBe(false);
    expect(ledger.hold(['job:job-1'], at(2))).toBe(true);
    expect(ledger.hold(['job:job-1'], at(1))).toBe(true);
    expect(ledger.hold(['job:job-1'], at(3, { id: 'job-2' }))).toBe(true);
    expect(ledger.endAnswer('job:job-1')).toEqual([at(2), at(3, { id: 'job-2' })]);
    expect(ledger.hold(['job:job-1'], at(4))).toBe(false);
    expect(ledger.hold([], at(4))).toBe(false);
  });

  it('keeps holding until the last of overlapping answers to one room ends', () => {
    const ledger = new DeliveryLedger();
    ledger.beginAnswer('all');
    ledger.beginAnswer('all');
    ledger.hold(['all'], at(1));
    expect(ledger.endAnswer('all')).toEqual([at(1)]);
    expect(ledger.hold(['all'], at(2))).toBe(true);
    expect(ledger.endAnswer('all')).toEqual([at(2)]);
    expect(ledger.hold(['all'], at(3))).toBe(false);
  });
});
