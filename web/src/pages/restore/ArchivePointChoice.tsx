import { useEffect, useState } from 'react';
import type { ArchivePoint } from '../../api/backups';
import { formatTime } from '../../components/format';
import type { ChosenSource } from './wizardTypes';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A time as a datetime-local input holds it: the browser's local time, to the second. */
function toInput(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * A moment in the archive's window, picked to the second. The picker names a second, and the
 * restore goes to the end of it (the state after every change recorded in that second), capped
 * at the newest point archived: so both ends of the window are reachable from the picker.
 */
export function ArchivePointChoice({ window: w, onChoose }: { window: { oldest: ArchivePoint; newest: ArchivePoint }; onChoose: (source: ChosenSource | null) => void }) {
  const oldest = Date.parse(w.oldest.recordedAt ?? '');
  const newest = Date.parse(w.newest.recordedAt ?? '');
  const [value, setValue] = useState(() => toInput(newest));
  // new Date('YYYY-MM-DDTHH:mm:ss') reads local time, as the input shows it (NaN while incomplete)
  const chosen = new Date(value).getTime();
  const inWindow = !Number.isNaN(chosen) && chosen + 999 >= oldest && chosen <= newest;
  useEffect(() => {
    if (!inWindow) return onChoose(null);
    const at = new Date(Math.min(chosen + 999, newest)).toISOString();
    onChoose({ target: { at }, label: `the archive as it was at ${formatTime(at)}`, at: null, noGlobe: 'A moment of the archive is read from the storage only to restore it: the preview’s counts say what it holds.' });
  }, [chosen, inWindow, newest, onChoose]);
  return (
    <div className="stack" data-testid="archive-point">
      <p>
        The storage’s archive can bring back any moment from <strong>{formatTime(w.oldest.recordedAt)}</strong> to <strong>{formatTime(w.newest.recordedAt)}</strong> (
        {w.newest.position.toLocaleString()} changes).
      </p>
      <div className="form-row">
        <label>
          <span>Restore to the moment</span>
          <input type="datetime-local" step={1} min={toInput(oldest)} max={toInput(newest)} value={value} onChange={(e) => setValue(e.target.value)} required />
        </label>
        <div>
          <button type="button" className="button button-small" onClick={() => setValue(toInput(newest))}>
            The newest point
          </button>
        </div>
      </div>
      {!inWindow && (
        <p className="notice notice-warning" role="alert">
          Choose a moment between {formatTime(w.oldest.recordedAt)} and {formatTime(w.newest.recordedAt)}: the archive holds nothing outside it.
        </p>
      )}
    </div>
  );
}
