import { FailedAttempts } from './failed-attempts';

describe('FailedAttempts', () => {
  it('blocks an address past its limit until its minute ends, and no other address', () => {
    let now = 0;
    const attempts = new FailedAttempts(2, () => now);
    attempts.record('a');
    expect(attempts.isBlocked('a')).toBe(false);
    attempts.record('a');
    expect([attempts.isBlocked('a'), attempts.isBlocked('b')]).toEqual([true, false]);
    now = 59_999;
    expect(attempts.isBlocked('a')).toBe(true);
    now = 60_000;
    expect(attempts.isBlocked('a')).toBe(false);
  });
});
