import { useId } from 'react';
import type { TimelineStop } from './useTimeline';
import { formatTime } from '../components/format';

/**
 * A time slider over the audit trail: each step is a stop (a group of events written together),
 * reachable with the arrow keys as well as the buttons. The chosen stop is read out in words.
 */
export function Timeline({ stops, index, onChange, label }: { stops: TimelineStop[]; index: number; onChange: (index: number) => void; label: string }) {
  const id = useId();
  if (stops.length === 0) return <p className="muted">The audit trail is empty: there is no past to go back to yet.</p>;
  const stop = stops[index];
  const text = `${formatTime(stop.at)}: ${stop.group.summary}`;
  return (
    <div className="timeline">
      <label htmlFor={id} className="timeline-label">
        {label}
      </label>
      <div className="timeline-controls">
        <button type="button" className="button button-small" onClick={() => onChange(Math.max(0, index - 1))} disabled={index === 0} aria-label="Earlier">
          ◀
        </button>
        <input id={id} type="range" min={0} max={stops.length - 1} step={1} value={index} onChange={(e) => onChange(Number(e.target.value))} aria-valuetext={text} />
        <button type="button" className="button button-small" onClick={() => onChange(Math.min(stops.length - 1, index + 1))} disabled={index === stops.length - 1} aria-label="Later">
          ▶
        </button>
      </div>
      <p className="timeline-stop" data-testid="timeline-stop" data-position={stop.position}>
        <span className={`badge badge-${stop.group.kind}`}>{stop.group.kind}</span> <time dateTime={stop.at}>{formatTime(stop.at)}</time> — {stop.group.summary}
        <span className="muted"> (after event #{stop.position})</span>
      </p>
    </div>
  );
}
