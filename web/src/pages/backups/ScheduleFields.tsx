import type { BackupSchedule } from '../../api/backups';
import { formatTime } from '../../components/format';
import { DAYS, scheduleInWords, timeZones } from './scheduleInWords';

/**
 * One automatic backup: on or off, when (daily, weekly or a cron, in a time zone), and how it is
 * written; said in words, with the next three run times as the server computes them (`nextRuns`:
 * known for the saved schedule only, so an edit says to save first).
 */
export function ScheduleFields({
  schedule: s,
  nextRuns,
  onChange,
  onRemove,
}: {
  schedule: BackupSchedule;
  nextRuns: string[] | null;
  onChange: (next: BackupSchedule) => void;
  onRemove: () => void;
}) {
  const set = <K extends keyof BackupSchedule>(key: K, value: BackupSchedule[K]) => onChange({ ...s, [key]: value });
  return (
    <fieldset data-testid="schedule">
      <legend>Schedule “{s.id}”</legend>
      <label className="checkbox">
        <input type="checkbox" checked={s.enabled} onChange={(e) => set('enabled', e.target.checked)} />
        <span>Back up automatically</span>
      </label>
      <div className="form-row">
        <label>
          <span>How often</span>
          <select value={s.frequency} onChange={(e) => onChange({ ...s, frequency: e.target.value as BackupSchedule['frequency'], cron: e.target.value === 'cron' ? (s.cron ?? '0 2 * * *') : s.cron })}>
            <option value="daily">Every day</option>
            <option value="weekly">Every week</option>
            <option value="cron">On a cron expression</option>
          </select>
        </label>
        {s.frequency === 'weekly' && (
          <label>
            <span>Day</span>
            <select value={s.dayOfWeek} onChange={(e) => set('dayOfWeek', Number(e.target.value))}>
              {DAYS.map((day, i) => (
                <option key={day} value={i}>
                  {day}
                </option>
              ))}
            </select>
          </label>
        )}
        {s.frequency === 'cron' ? (
          <label>
            <span>Cron expression</span>
            <input value={s.cron ?? ''} onChange={(e) => set('cron', e.target.value)} required />
          </label>
        ) : (
          <label>
            <span>At</span>
            <input type="time" value={s.time} onChange={(e) => set('time', e.target.value)} required />
          </label>
        )}
        <label>
          <span>Time zone</span>
          <select value={s.timezone} onChange={(e) => set('timezone', e.target.value)}>
            {timeZones(s.timezone).map((zone) => (
              <option key={zone} value={zone}>
                {zone.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Compression</span>
          <select value={s.compression} onChange={(e) => set('compression', e.target.value as BackupSchedule['compression'])}>
            <option value="gzip">gzip</option>
            <option value="brotli">brotli</option>
            <option value="none">none</option>
          </select>
        </label>
      </div>
      <p data-testid="schedule-in-words">
        <strong>{scheduleInWords(s)}</strong>
        <br />
        <span className="muted">
          {!s.enabled
            ? 'Off: no automatic backup runs.'
            : nextRuns
              ? `Next runs: ${nextRuns.map((at) => formatTime(at)).join(' · ')}`
              : 'Save the schedules to see the next run times.'}
        </span>
      </p>
      <label className="checkbox">
        <input type="checkbox" checked={s.includeHistory} onChange={(e) => set('includeHistory', e.target.checked)} />
        <span>Include the full history (the audit trail), not only the current state</span>
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={s.encrypt} onChange={(e) => set('encrypt', e.target.checked)} />
        <span>Encrypt (with the server’s key, or its BACKUP_PASSPHRASE)</span>
      </label>
      <div>
        <button type="button" className="button button-small" onClick={onRemove}>
          Remove this schedule
        </button>
      </div>
    </fieldset>
  );
}
