import { DEFAULT_RETENTION, snapshotsToKeep } from './snapshot-retention';

const now = Date.parse('2026-06-30T12:00:00.000Z');
const at = (iso: string, id = iso) => ({ id, time: Date.parse(iso) });

describe('snapshotsToKeep', () => {
  it('keeps every snapshot of the last 24 hours', () => {
    const snaps = [at('2026-06-30T11:59:00Z'), at('2026-06-30T11:58:00Z'), at('2026-06-29T13:00:00Z')];
    expect(snapshotsToKeep(snaps, now, DEFAULT_RETENTION)).toEqual(new Set(snaps.map((s) => s.id)));
  });

  it('keeps the newest per hour for a week, per day for a month, per week for a year, nothing older', () => {
    const snaps = [
      at('2026-06-28T10:10:00Z'), // hourly zone, hour 10
      at('2026-06-28T10:50:00Z'), // same hour, newer: kept instead
      at('2026-06-28T11:05:00Z'), // hour 11
      at('2026-06-10T01:00:00Z'), // daily zone
      at('2026-06-10T23:00:00Z'), // same day, newer: kept
      at('2026-03-02T00:00:00Z'), // weekly zone (Monday)
      at('2026-03-04T00:00:00Z'), // same epoch-week, newer: kept
      at('2025-01-01T00:00:00Z'), // older than a year
    ];
    const keep = snapshotsToKeep(snaps, now, DEFAULT_RETENTION);
    expect([...keep].sort()).toEqual(
      ['2026-06-28T10:50:00Z', '2026-06-28T11:05:00Z', '2026-06-10T23:00:00Z', '2026-03-04T00:00:00Z'].sort(),
    );
  });

  it('always keeps the newest snapshot, however old', () => {
    expect(snapshotsToKeep([at('2020-01-01T00:00:00Z', 'old')], now, DEFAULT_RETENTION)).toEqual(new Set(['old']));
  });

  it('with a zero policy keeps only the newest', () => {
    const policy = { keepAllHours: 0, hourlyDays: 0, dailyDays: 0, weeklyWeeks: 0 };
    const keep = snapshotsToKeep([at('2026-06-30T11:00:00Z', 'a'), at('2026-06-30T10:00:00Z', 'b')], now, policy);
    expect(keep).toEqual(new Set(['a']));
  });
});
