import { Command, Option } from 'commander';
import type { BackupSchedule, BackupSchedules } from '../../domain/backup-schedule';
import { action, confirm, connected, Ctx } from '../command-context';
import { CliError, EXIT, table } from '../output';

const PATH = '/api/backup-schedules';
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** `schedules list --json`: the schedules as a page, like every list, with the rest of the document beside them. */
type ScheduleList = { items: BackupSchedule[]; next: null } & Omit<BackupSchedules, 'schedules'>;

const when = (s: BackupSchedule) =>
  s.frequency === 'cron' ? `cron ${s.cron}` : `${s.frequency === 'daily' ? 'daily' : `weekly on ${DAYS[s.dayOfWeek]}`} at ${s.time}`;

async function list({ client, out }: Ctx): Promise<void> {
  const { schedules, ...rest } = await client.get<BackupSchedules>(PATH);
  out.result<ScheduleList>({ items: schedules, next: null, ...rest }, (l) =>
    [
      table(
        ['id', 'when', 'zone', 'storage', 'encrypted', 'compression', 'history', 'enabled'],
        l.items.map((s) => [s.id, when(s), s.timezone, String(s.storage), s.encrypt ? 'yes' : 'no', s.compression, s.includeHistory ? 'yes' : 'no', s.enabled ? 'yes' : 'no']),
      ),
      `retention: the last ${l.retention.keepLast}, one a day for ${l.retention.keepDailyDays} days, one a week for ${l.retention.keepWeeklyWeeks} weeks`,
      `restore drills: ${l.drills.enabled ? `on, cron ${l.drills.cron} (UTC)` : 'off'}`,
      `log compaction: ${l.logCompaction.enabled ? `on, events older than ${l.logCompaction.olderThanDays} days, cron ${l.logCompaction.cron}` : 'off'}`,
    ].join('\n'),
  );
}

/** A schedule from the options; the server checks the rest (time, cron, zone, storage, a key for --encrypt: 400 → exit 2). */
function scheduleOf(id: string, opts: Record<string, any>): Record<string, unknown> {
  const frequency = opts.cron !== undefined ? 'cron' : opts.weekly !== undefined ? 'weekly' : 'daily';
  const day = opts.weekly === undefined ? undefined : DAYS.indexOf(String(opts.weekly).slice(0, 3).toLowerCase());
  if (day === -1) throw new CliError(EXIT.USAGE, `--weekly: "${opts.weekly}" is not a day (sun, mon, … sat)`);
  if (opts.cron !== undefined && opts.weekly !== undefined) throw new CliError(EXIT.USAGE, 'give --weekly <day> or --cron <expression>, not both');
  return {
    id,
    enabled: opts.enabled,
    frequency,
    ...(frequency === 'cron' ? { cron: opts.cron } : { time: opts.time }),
    ...(day !== undefined ? { dayOfWeek: day } : {}),
    timezone: opts.timezone,
    ...(opts.storage !== undefined ? { storage: /^\d+$/.test(opts.storage) ? Number(opts.storage) : opts.storage } : {}),
    encrypt: Boolean(opts.encrypt),
    compression: opts.compression,
    includeHistory: opts.history,
  };
}

/**
 * The API replaces the schedule document as a whole (PUT): these commands read it, change one
 * schedule and write it back. Two operators editing at the same moment: the later write wins
 * whole, as in the UI; the audit trail records both (BackupSchedulesChanged).
 */
async function create({ client, out }: Ctx, opts: Record<string, any>, id: string): Promise<void> {
  const doc = await client.get<BackupSchedules>(PATH);
  if (doc.schedules.some((s) => s.id === id)) {
    throw new CliError(EXIT.CONFLICT, `a schedule "${id}" exists already (schedules delete ${id} first)`, { code: 'CLI.SCHEDULE_EXISTS', message: `a schedule ${id} exists` });
  }
  const saved = await client.put<BackupSchedules>(PATH, { ...doc, schedules: [...doc.schedules, scheduleOf(id, opts)] });
  out.result(saved.schedules.find((s) => s.id === id)!, (s) => `schedule ${s.id}: ${when(s)} ${s.timezone}${s.enabled ? '' : ' (disabled)'}`);
}

async function remove({ client, out }: Ctx, opts: Record<string, any>, id: string): Promise<void> {
  const doc = await client.get<BackupSchedules>(PATH);
  const found = doc.schedules.find((s) => s.id === id);
  if (!found) throw new CliError(EXIT.NOT_FOUND, `no schedule "${id}"`, { code: 'CLI.SCHEDULE_NOT_FOUND', message: `no schedule ${id}` });
  await confirm(`Delete schedule ${id} (${when(found)} ${found.timezone})? Its backups stay.`, opts.yes);
  await client.put<BackupSchedules>(PATH, { ...doc, schedules: doc.schedules.filter((s) => s.id !== id) });
  out.result({ deleted: id }, () => `deleted schedule ${id}`);
}

export function registerSchedules(program: Command): void {
  const schedules = program.command('schedules').description('automatic backups: their schedules (retention, drills and log compaction are listed with them)');

  connected(schedules.command('list').description('the schedules, the retention policy, the restore drills and log compaction')).action(action(list));

  connected(schedules.command('create <id>').description('a new automatic backup: daily (default), --weekly <day> or --cron <expression>'))
    .option('--time <HH:MM>', 'time of day (daily, weekly)', '02:00')
    .option('--weekly <day>', 'once a week on this day (sun … sat)')
    .option('--cron <expression>', 'on a cron expression (minute hour day month weekday)')
    .option('--timezone <zone>', 'an IANA time zone, e.g. Europe/Paris', 'UTC')
    .option('--storage <index|url>', 'one configured storage only (its index in BACKUP_STORAGE or its URL); default all')
    .option('--encrypt', "encrypt with the server's key (or BACKUP_PASSPHRASE)")
    .addOption(new Option('--compression <kind>', 'payload compression').choices(['gzip', 'brotli', 'none']).default('gzip'))
    .option('--no-history', 'the state only, without the event history')
    .option('--disabled', 'saved, but not run until enabled')
    .action(action((ctx, opts, id: string) => create(ctx, { ...opts, enabled: !opts.disabled }, id)));

  connected(schedules.command('delete <id>').description('delete a schedule (the backups it made stay)'))
    .option('-y, --yes', 'do not ask')
    .action(action(remove));
}
