import type { Settings } from '../../api/types';

type Change = (next: Settings) => void;

/** The controls of the settings form, grouped as the Globe app groups them, plus Globe Vault's own. */
export function SettingsFields({ value: v, onChange }: { value: Settings; onChange: Change }) {
  const set = <K extends keyof Settings>(key: K, value: Settings[K]) => onChange({ ...v, [key]: value });
  const setRetention = (key: keyof Settings['snapshotRetention'], value: number) => set('snapshotRetention', { ...v.snapshotRetention, [key]: value });
  return (
    <>
      <fieldset>
        <legend>Appearance</legend>
        <label>
          <span>Theme</span>
          <select value={v.theme} onChange={(e) => set('theme', e.target.value as Settings['theme'])}>
            <option value="system">Like the system</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </label>
        <label>
          <span>Language</span>
          <input value={v.language} minLength={2} maxLength={20} onChange={(e) => set('language', e.target.value)} />
        </label>
      </fieldset>
      <fieldset>
        <legend>Globe</legend>
        <label>
          <span>Globe style</span>
          <select value={v.globeStyle} onChange={(e) => set('globeStyle', e.target.value as Settings['globeStyle'])}>
            {['default', 'satellite', 'dark', 'night', 'political'].map((s) => (
              <option key={s} value={s}>
                {s[0].toUpperCase() + s.slice(1)}
              </option>
            ))}
          </select>
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={v.autoRotate} onChange={(e) => set('autoRotate', e.target.checked)} />
          <span>Turn the globe slowly</span>
        </label>
        <label>
          <span>Rotation speed ({v.rotationSpeed})</span>
          <input type="range" min={0} max={10} step={0.1} value={v.rotationSpeed} onChange={(e) => set('rotationSpeed', Number(e.target.value))} />
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={v.showQuantityVisualization} onChange={(e) => set('showQuantityVisualization', e.target.checked)} />
          <span>Show quantities</span>
        </label>
      </fieldset>
      <fieldset>
        <legend>Behaviour</legend>
        <label className="checkbox">
          <input type="checkbox" checked={v.autoSave} onChange={(e) => set('autoSave', e.target.checked)} />
          <span>Save automatically</span>
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={v.notifications} onChange={(e) => set('notifications', e.target.checked)} />
          <span>Notifications</span>
        </label>
      </fieldset>
      <fieldset>
        <legend>Snapshots (fast restores)</legend>
        <label>
          <span>Snapshot every N events (0: never by count)</span>
          <input type="number" min={0} max={10_000_000} value={v.snapshotEveryEvents} onChange={(e) => set('snapshotEveryEvents', Number(e.target.value))} />
        </label>
        <label>
          <span>Snapshot schedule (cron, empty: off)</span>
          <input value={v.snapshotCron} onChange={(e) => set('snapshotCron', e.target.value)} />
        </label>
        <label>
          <span>Compaction schedule (cron, empty: off)</span>
          <input value={v.compactionCron} onChange={(e) => set('compactionCron', e.target.value)} />
        </label>
        <div className="retention-grid">
          {(
            [
              ['keepAllHours', 'Keep all for (hours)'],
              ['hourlyDays', 'Hourly for (days)'],
              ['dailyDays', 'Daily for (days)'],
              ['weeklyWeeks', 'Weekly for (weeks)'],
            ] as const
          ).map(([key, label]) => (
            <label key={key}>
              <span>{label}</span>
              <input type="number" min={0} value={v.snapshotRetention[key]} onChange={(e) => setRetention(key, Number(e.target.value))} />
            </label>
          ))}
        </div>
      </fieldset>
    </>
  );
}
