import { validateCronExpression } from 'cron';
import { backupSchedulesSchema } from './backup-schedule';
import { cronProblem } from './cron';
import { settingsChangeSchema, settingsPatchSchema } from './settings';

const VALID = [
  '0 * * * *',
  '15 3 * * *',
  '*/15 9-17 * * mon-fri',
  '0 0 1 jan,jul *',
  '0 0 * JAN-MAR/2 *',
  '0 0 * * 7',
  '0 0 * * 0-7',
  '0 0 * * Sun',
  '0 0 * * mon-7',
  '0 0 * * */7',
  '1-5/2 * * * *',
  '2/5 * * * *',
  '0-59/5 * * * *',
  '05 * * * *',
  '0 0 29 2 *',
  '0 0 1-31/31 * *',
  '1,2,3 * * * * *',
  '30 4 * * *',
  '59 59 23 31 12 6',
  ' 0  *  * * * ',
];

const INVALID: [string, RegExp][] = [
  ['x x x x x', /minute "x"/],
  ['99 99 99 99 99', /minute "99": values are 0-59/],
  ['60 * * * *', /values are 0-59/],
  ['0 24 * * *', /hour "24"/],
  ['0 0 0 * *', /day of month "0"/],
  ['0 0 * 0 *', /month "0"/],
  ['0 0 * 13 *', /month "13"/],
  ['0 0 * * 8', /day of week "8"/],
  ['60 0 * * * *', /second "60"/],
  ['*/0 * * * *', /step of 0/],
  ['5-1 * * * *', /runs backwards/],
  ['0 0 * * 7-1', /runs backwards/],
  ['0 0 L * *', /day of month "L"/],
  ['0 0 ? * *', /day of month "\?"/],
  ['0 0 * * monday', /day of week "monday"/],
  ['mon * * * *', /minute "mon"/],
  ['1-5-7 * * * *', /is not \*/],
  [',1 * * * *', /is not \*/],
  ['1, * * * *', /is not \*/],
  ['1.5 * * * *', /is not \*/],
  ['*/ * * * *', /is not \*/],
  ['/5 * * * *', /is not \*/],
  ['1/2/3 * * * *', /is not \*/],
  ['* * * *', /5 or 6 fields, not 4/],
  ['* * * * * * *', /5 or 6 fields, not 7/],
  ['@daily', /5 or 6 fields, not 1/],
  ['', /5 or 6 fields/],
];

describe('cron expressions: one validator for settings changes and backup schedules', () => {
  it.each(VALID)('accepts %j, and so does the scheduler', (expression) => {
    expect(cronProblem(expression)).toBeNull();
    expect(validateCronExpression(expression)).toEqual({ valid: true });
  });

  it.each(INVALID)('refuses %j, saying why', (expression, why) => {
    expect(cronProblem(expression)).toMatch(why);
  });

  it('is the check of the settings and of every cron in the backup schedules', () => {
    expect(settingsChangeSchema.safeParse({ snapshotCron: 'x x x x x' }).success).toBe(false);
    expect(settingsChangeSchema.safeParse({ compactionCron: '99 99 99 99 99' }).success).toBe(false);
    expect(settingsChangeSchema.safeParse({ snapshotCron: '', compactionCron: '*/10 * * * *' }).success).toBe(true);
    expect(settingsChangeSchema.safeParse({ snapshotCronn: '0 * * * *' }).success).toBe(false);
    // what older versions stored still reads back, so their logs and backups stay valid
    expect(settingsPatchSchema.safeParse({ snapshotCron: 'x x x x x' }).success).toBe(true);
    const schedules = (cron: string) => ({ schedules: [{ id: 'c', frequency: 'cron', cron }] });
    expect(backupSchedulesSchema.safeParse(schedules('99 99 99 99 99')).success).toBe(false);
    expect(backupSchedulesSchema.safeParse(schedules('*/15 9-17 * * mon-fri')).success).toBe(true);
    expect(backupSchedulesSchema.safeParse({ drills: { cron: '0 0 0 * *' } }).success).toBe(false);
    expect(backupSchedulesSchema.safeParse({ logCompaction: { cron: '61 * * * *' } }).success).toBe(false);
  });
});
