import { useEffect, useState } from 'react';
import { listRestorePoints } from '../../api/recovery';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatTime } from '../../components/format';
import { useLoad } from '../../hooks/useLoad';
import { Timeline } from '../../timeline/Timeline';
import { useTimeline } from '../../timeline/useTimeline';
import { BackupChoice } from './BackupChoice';
import type { ChosenSource } from './wizardTypes';

type Mode = 'time' | 'backup' | 'point';

/** Step 1: go back to a moment of the audit trail, a restore point, or a backup. */
export function SourceStep({ initial, onNext }: { initial: { backupId?: string; position?: number }; onNext: (source: ChosenSource) => void }) {
  const [mode, setMode] = useState<Mode>(initial.backupId ? 'backup' : 'time');
  const timeline = useTimeline();
  const points = useLoad(() => listRestorePoints(), []);
  const stops = timeline.data?.stops ?? [];
  const [index, setIndex] = useState<number | null>(null);
  const [pointId, setPointId] = useState('');
  const [backup, setBackup] = useState<ChosenSource | null>(null);
  useEffect(() => {
    if (index !== null || stops.length === 0) return;
    const preset = stops.findIndex((s) => s.position === initial.position);
    setIndex(preset >= 0 ? preset : stops.length - 1);
  }, [stops, index, initial.position]);

  const stop = index !== null ? stops[index] : undefined;
  const point = points.data?.find((p) => p.id === pointId);
  const source: ChosenSource | null =
    mode === 'time' && stop
      ? { target: { position: stop.position }, label: `the moment after “${stop.group.summary}” (${formatTime(stop.at)})`, at: stop.at }
      : mode === 'point' && point
        ? { target: { restorePointId: point.id }, label: `the restore point “${point.name}” (${formatTime(point.createdAt)})`, at: point.createdAt }
        : mode === 'backup'
          ? backup
          : null;

  return (
    <div className="stack">
      <fieldset className="choice-group">
        <legend>Restore from</legend>
        {(
          [
            ['time', 'A point in time on the audit timeline'],
            ['point', 'A restore point'],
            ['backup', 'A backup'],
          ] as const
        ).map(([value, text]) => (
          <label key={value} className="radio">
            <input type="radio" name="source" value={value} checked={mode === value} onChange={() => setMode(value)} />
            <span>{text}</span>
          </label>
        ))}
      </fieldset>
      {mode === 'time' && index !== null && <Timeline stops={stops} index={index} onChange={setIndex} label="Restore to the state just after" />}
      {mode === 'time' && <ErrorNotice error={timeline.error} />}
      {mode === 'point' && (
        <label>
          <span>Restore point</span>
          <select value={pointId} onChange={(e) => setPointId(e.target.value)}>
            <option value="">Choose a restore point…</option>
            {(points.data ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} — {formatTime(p.createdAt)}
              </option>
            ))}
          </select>
        </label>
      )}
      {mode === 'backup' && <BackupChoice preselected={initial.backupId} onChoose={setBackup} />}
      <div className="form-actions">
        <button type="button" className="button button-primary" disabled={!source} onClick={() => source && onNext(source)}>
          Next: what to restore
        </button>
      </div>
    </div>
  );
}
