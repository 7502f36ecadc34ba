import type { BackupSchedules } from '../../api/backups';

/**
 * Opt-in log compaction: off by default, because the audit trail is the product. When on, events
 * older than the window leave the live log, and only once a verified backup with the history holds
 * them (that backup is where the older history then lives).
 */
export function LogCompactionFields({ doc, onChange }: { doc: BackupSchedules; onChange: (next: BackupSchedules) => void }) {
  const lc = doc.logCompaction;
  const set = (patch: Partial<BackupSchedules['logCompaction']>) => onChange({ ...doc, logCompaction: { ...lc, ...patch } });
  return (
    <fieldset className="stack">
      <legend>Log compaction</legend>
      <label className="checkbox">
        <input type="checkbox" checked={lc.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
        <span>Move events older than the window out of the live log (they stay in a verified backup with history)</span>
      </label>
      <label>
        <span>Keep in the live log (days)</span>
        <input type="number" min={1} max={36500} value={lc.olderThanDays} disabled={!lc.enabled} onChange={(e) => set({ olderThanDays: Math.max(1, Number(e.target.value) || 1) })} />
      </label>
    </fieldset>
  );
}
