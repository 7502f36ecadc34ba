import { useEffect, useState } from 'react';
import { type BackupSchedule, type BackupSchedules as Schedules, getSchedules, putSchedules } from '../../api/backups';
import { ErrorNotice } from '../../components/ErrorNotice';
import { announce, useVersion } from '../../hooks/dataChanges';
import { useLoad } from '../../hooks/useLoad';
import { LogCompactionFields } from './LogCompactionFields';
import { RetentionFields } from './RetentionFields';
import { ScheduleFields } from './ScheduleFields';

function newSchedule(existing: BackupSchedule[]): BackupSchedule {
  const taken = new Set(existing.map((s) => s.id));
  const frequency = taken.has('daily') ? 'weekly' : 'daily';
  let id: string = frequency;
  for (let n = 2; taken.has(id); n++) id = `${frequency}-${n}`;
  return { id, enabled: true, frequency, time: '02:00', dayOfWeek: 0, timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC', storage: 'default', encrypt: false, compression: 'gzip', includeHistory: true };
}

/** Whether a schedule in the draft is as saved: only then do the server's next run times apply to it. */
const isSaved = (schedule: BackupSchedule, saved: Schedules | undefined) =>
  JSON.stringify(saved?.schedules.find((s) => s.id === schedule.id)) === JSON.stringify(schedule);

/**
 * Automatic backups, their retention and the restore drills: one document, saved as a whole (and
 * audited). `nextRuns`: the server's next firings of each saved, enabled schedule (backup health).
 */
export function BackupSchedules({ nextRuns = {} }: { nextRuns?: Record<string, string[]> }) {
  const version = useVersion('backups');
  const loaded = useLoad(() => getSchedules(), [version]);
  const [draft, setDraft] = useState<Schedules | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (loaded.data) setDraft(loaded.data);
  }, [loaded.data]);
  if (!draft) return <ErrorNotice error={loaded.error} />;

  const change = (next: Schedules) => {
    setSaved(false);
    setDraft(next);
  };
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      setDraft(await putSchedules(draft));
      setSaved(true);
      announce('backups', 'audit');
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="stack" onSubmit={save} aria-label="Backup schedules">
      {draft.schedules.length === 0 && <p className="muted">No automatic backups: only “Back up now” makes backups.</p>}
      {draft.schedules.map((schedule, i) => (
        <ScheduleFields
          key={schedule.id}
          schedule={schedule}
          nextRuns={isSaved(schedule, loaded.data) ? (nextRuns[schedule.id] ?? null) : null}
          onChange={(next) => change({ ...draft, schedules: draft.schedules.map((s, j) => (j === i ? next : s)) })}
          onRemove={() => change({ ...draft, schedules: draft.schedules.filter((_, j) => j !== i) })}
        />
      ))}
      <div>
        <button type="button" className="button" onClick={() => change({ ...draft, schedules: [...draft.schedules, newSchedule(draft.schedules)] })}>
          Add a schedule
        </button>
      </div>
      <RetentionFields doc={draft} onChange={change} />
      <LogCompactionFields doc={draft} onChange={change} />
      <ErrorNotice error={error} title="Not saved" />
      <div className="form-actions">
        <button type="submit" className="button button-primary">
          Save schedules
        </button>
        <span role="status" className="muted">
          {saved ? 'Schedules saved.' : ''}
        </span>
      </div>
    </form>
  );
}
