import { backupSchedulesSchema, backupsToKeep, cronOf } from './backup-schedule';

const DAY = 24 * 3600_000;
const now = Date.parse('2026-06-30T12:00:00.000Z');

describe('backup schedules', () => {
  it('turn daily and weekly times into cron expressions', () => {
    const { schedules } = backupSchedulesSchema.parse({
      schedules: [
        { id: 'nightly', frequency: 'daily', time: '02:30' },
        { id: 'sunday', frequency: 'weekly', time: '23:05', dayOfWeek: 0 },
        { id: 'hourly', frequency: 'cron', cron: '0 * * * *' },
      ],
    });
    expect(schedules.map(cronOf)).toEqual(['30 2 * * *', '5 23 * * 0', '0 * * * *']);
  });

  it('refuse a cron schedule without an expression, duplicate ids and bad times', () => {
    expect(backupSchedulesSchema.safeParse({ schedules: [{ id: 'x', frequency: 'cron' }] }).success).toBe(false);
    expect(backupSchedulesSchema.safeParse({ schedules: [{ id: 'x', frequency: 'daily' }, { id: 'x', frequency: 'weekly' }] }).success).toBe(false);
    expect(backupSchedulesSchema.safeParse({ schedules: [{ id: 'x', frequency: 'daily', time: '25:00' }] }).success).toBe(false);
  });
});

describe('backupsToKeep', () => {
  it('keeps the last N, the newest per day for D days and per week for W weeks, and deletes the rest', () => {
    // one backup a day at noon for 60 days, plus a second one on the newest day
    const backups = Array.from({ length: 60 }, (_, i) => ({ id: `d${i}`, time: now - i * DAY }));
    backups.push({ id: 'd0-early', time: now - 6 * 3600_000 });
    const keep = backupsToKeep(backups, now, { keepLast: 3, keepDailyDays: 5, keepWeeklyWeeks: 4 });
    // last 3: d0, d0-early, d1; daily for 5 days: d0..d5 (d0-early loses its day to d0); weekly for 4 weeks: newest per epoch week
    for (const id of ['d0', 'd0-early', 'd1', 'd2', 'd3', 'd4', 'd5']) expect(keep.has(id)).toBe(true);
    expect(keep.has('d40')).toBe(false);
    const weekly = [...keep].filter((id) => !['d0', 'd0-early', 'd1', 'd2', 'd3', 'd4', 'd5'].includes(id));
    expect(weekly.length).toBeGreaterThanOrEqual(3);
    expect(weekly.length).toBeLessThanOrEqual(4);
    for (const id of weekly) expect(Number(id.slice(1))).toBeLessThanOrEqual(28);
  });

  it('always keeps the newest backup', () => {
    expect(backupsToKeep([{ id: 'old', time: now - 400 * DAY }], now, { keepLast: 1, keepDailyDays: 0, keepWeeklyWeeks: 0 })).toEqual(new Set(['old']));
  });
});
