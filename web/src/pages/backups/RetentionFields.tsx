import type { BackupSchedules } from '../../api/backups';

/** How many scheduled backups are kept, and the restore drills that prove them restorable. */
export function RetentionFields({ doc, onChange }: { doc: BackupSchedules; onChange: (next: BackupSchedules) => void }) {
  const retention = (key: keyof BackupSchedules['retention'], value: number) => onChange({ ...doc, retention: { ...doc.retention, [key]: value } });
  return (
    <>
      <fieldset>
        <legend>Retention of scheduled backups</legend>
        <div className="retention-grid">
          <label>
            <span>Keep the last</span>
            <input type="number" min={1} max={1000} value={doc.retention.keepLast} onChange={(e) => retention('keepLast', Number(e.target.value))} />
          </label>
          <label>
            <span>One a day for (days)</span>
            <input type="number" min={0} max={3650} value={doc.retention.keepDailyDays} onChange={(e) => retention('keepDailyDays', Number(e.target.value))} />
          </label>
          <label>
            <span>One a week for (weeks)</span>
            <input type="number" min={0} max={520} value={doc.retention.keepWeeklyWeeks} onChange={(e) => retention('keepWeeklyWeeks', Number(e.target.value))} />
          </label>
        </div>
        <p className="muted">Manual, uploaded and pre-restore backups are never removed automatically.</p>
      </fieldset>
      <fieldset>
        <legend>Restore drills</legend>
        <label className="checkbox">
          <input type="checkbox" checked={doc.drills.enabled} onChange={(e) => onChange({ ...doc, drills: { ...doc.drills, enabled: e.target.checked } })} />
          <span>Regularly restore the newest backup into a scratch copy and check it</span>
        </label>
        <label>
          <span>Drill schedule (cron)</span>
          <input value={doc.drills.cron} onChange={(e) => onChange({ ...doc, drills: { ...doc.drills, cron: e.target.value } })} />
        </label>
      </fieldset>
    </>
  );
}
