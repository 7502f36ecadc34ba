import type { BackupSchedule } from '../../api/backups';

export const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const pad = (n: number) => String(n).padStart(2, '0');
const isNumber = (field: string) => /^\d{1,2}$/.test(field);

/**
 * A cron expression in words when it is one of the common shapes (every N minutes, every hour at
 * :MM, every day or one weekday at HH:MM); null otherwise, and the caller shows the expression.
 * Only words: when it runs is the server's answer (the next run times), never computed here.
 */
function cronInWords(cron: string): string | null {
  const parts = cron.trim().split(/ +/);
  if (parts.length !== 5) return null;
  const [minute, hour, dayOfMonth, month, dayOfWeek] = parts;
  const step = /^\*\/(\d{1,2})$/.exec(minute);
  if (step && hour === '*' && dayOfMonth === '*' && month === '*' && dayOfWeek === '*') return `every ${step[1]} minutes`;
  if (dayOfMonth !== '*' || month !== '*' || !isNumber(minute)) return null;
  if (hour === '*' && dayOfWeek === '*') return `every hour at :${pad(Number(minute))}`;
  if (!isNumber(hour)) return null;
  const at = `at ${pad(Number(hour))}:${pad(Number(minute))}`;
  if (dayOfWeek === '*') return `every day ${at}`;
  if (dayOfWeek === '1-5') return `every weekday (Monday to Friday) ${at}`;
  if (isNumber(dayOfWeek) && Number(dayOfWeek) <= 7) return `every ${DAYS[Number(dayOfWeek) % 7]} ${at}`;
  return null;
}

/** "Every day at 02:00 (Europe/Paris)", "Every Wednesday at 03:30 (UTC)", or the cron expression itself when it has no simple reading. */
export function scheduleInWords(s: BackupSchedule): string {
  const words =
    s.frequency === 'daily' ? `every day at ${s.time}` : s.frequency === 'weekly' ? `every ${DAYS[s.dayOfWeek]} at ${s.time}` : cronInWords(s.cron ?? '');
  const text = words ?? `on the cron expression “${s.cron ?? ''}”`;
  return `${text[0].toUpperCase()}${text.slice(1)} (${s.timezone} time)`;
}

/** The time zones the browser knows (IANA names), with UTC and `current` first when the list lacks them (some engines list no "UTC"). */
export function timeZones(current: string): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const missing = [...new Set(['UTC', current])].filter((zone) => !known.includes(zone));
  return [...missing, ...known];
}
