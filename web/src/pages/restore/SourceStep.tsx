import { useEffect, useState } from 'react';
import { backupHealth } from '../../api/backups';
import { listRestorePoints, listRestores } from '../../api/recovery';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatTime } from '../../components/format';
import { useLoad } from '../../hooks/useLoad';
import { Timeline } from '../../timeline/Timeline';
import { useTimeline } from '../../timeline/useTimeline';
import { ArchivePointChoice } from './ArchivePointChoice';
import { BackupChoice } from './BackupChoice';
import { pointName } from './restoreWords';
import type { ChosenSource } from './wizardTypes';

type Mode = 'time' | 'backup' | 'point' | 'archive';

/**
 * Step 1: go back to a moment of the audit trail, a restore point, or a backup. On a fresh
 * instance (an empty log) whose storage holds an archive, first of all a moment of that archive.
 */
export function SourceStep({ initial, onNext }: { initial: { backupId?: string; position?: number }; onNext: (source: ChosenSource) => void }) {
  const [chosenMode, setMode] = useState<Mode | null>(initial.backupId ? 'backup' : null);
  const timeline = useTimeline();
  const points = useLoad(() => listRestorePoints(), []);
  const restores = useLoad(() => listRestores().catch(() => []), []);
  // the server reports the archive found in its storage only while this instance's log is empty
  const found = useLoad(() => backupHealth().then((h) => h.archive?.found ?? null, () => null), []).data ?? null;
  // an empty log has no moment to go back to: a fresh instance restores from the storage's archive or a backup
  const emptyLog = timeline.data !== undefined && timeline.data.stops.length === 0;
  const mode: Mode = chosenMode ?? (found ? 'archive' : emptyLog ? 'backup' : 'time');
  const [archived, setArchived] = useState<ChosenSource | null>(null);
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
  const known = { stops, restores: restores.data ?? [], points: points.data ?? [] };
  const source: ChosenSource | null =
    mode === 'time' && stop
      ? { target: { position: stop.position }, label: `the moment after “${stop.group.summary}” (${formatTime(stop.at)})`, at: stop.at }
      : mode === 'point' && point
        ? { target: { restorePointId: point.id }, label: `the restore point “${pointName(point, known)}” (${formatTime(point.createdAt)})`, at: point.createdAt }
        : mode === 'backup'
          ? backup
          : mode === 'archive'
            ? archived
            : null;

  return (
    <div className="stack">
      <fieldset className="choice-group">
        <legend>Restore from</legend>
        {(
          [
            ...(found ? [['archive', 'A moment of the archive in the storage'] as const] : []),
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
                {pointName(p, known)} — {formatTime(p.createdAt)}
              </option>
            ))}
          </select>
        </label>
      )}
      {mode === 'archive' && found && <ArchivePointChoice window={found} onChoose={setArchived} />}
      {mode === 'backup' && <BackupChoice preselected={initial.backupId} onChoose={setBackup} />}
      <div className="form-actions">
        <button type="button" className="button button-primary" disabled={!source} onClick={() => source && onNext(source)}>
          Next: what to restore
        </button>
      </div>
    </div>
  );
}
