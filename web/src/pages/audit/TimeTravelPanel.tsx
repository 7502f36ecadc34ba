import { useEffect, useState } from 'react';
import { stateAt } from '../../api/recovery';
import { navigate } from '../../app/router';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatCount, formatTime } from '../../components/format';
import { GlobeCanvas } from '../../globe/GlobeCanvas';
import { GlobeStatus } from '../../globe/GlobeStatus';
import { DEFAULT_VIEW } from '../../globe/globeStyles';
import { LayerPanel } from '../../globe/LayerPanel';
import { useGlobeLayers } from '../../hooks/useGlobeLayers';
import { useSettings } from '../../hooks/useSettings';
import { useLoad } from '../../hooks/useLoad';
import { Timeline } from '../../timeline/Timeline';
import type { TimelineStop } from '../../timeline/useTimeline';

/** The slider moves freely; the past is fetched once it rests. */
const SETTLE_MS = 250;

/**
 * Read-only time travel: slide to any moment of the audit trail and see the counts and the globe as
 * they were then. Nothing is written; "Restore to this moment" opens the Restore Wizard there.
 */
export function TimeTravelPanel({ stops, travelTo }: { stops: TimelineStop[]; travelTo?: { position: number } | null }) {
  const latest = stops.length - 1;
  const [index, setIndex] = useState(latest);
  const [settled, setSettled] = useState(latest);
  useEffect(() => {
    setIndex(latest);
    setSettled(latest);
  }, [latest]);
  // An event clicked in the trail: the first stop at or after it (its group's end), the oldest stop for one older than the slider.
  useEffect(() => {
    if (!travelTo) return;
    const at = stops.findIndex((s) => s.position >= travelTo.position);
    setIndex(at === -1 ? latest : at);
  }, [travelTo, stops, latest]);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(index), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [index]);

  const stop = stops[settled];
  const isNow = settled === latest;
  const summary = useLoad(() => stateAt(stop ? { position: stop.position } : {}), [stop?.position]);
  const globe = useGlobeLayers(isNow || !stop ? undefined : stop.at);
  const settings = useSettings();
  const counts = summary.data?.counts;
  return (
    <div className="time-travel">
      <Timeline stops={stops} index={index} onChange={setIndex} label="Show the globe as it was after" />
      <p className="state-summary" aria-live="polite" data-testid="state-summary">
        {counts
          ? `${isNow ? 'Now' : `As of ${formatTime(stop?.at)}`}: ${formatCount(counts.datasets)} datasets, ${formatCount(counts.locations)} locations, ${formatCount(counts.configurations)} configurations`
          : 'Reading the state…'}
      </p>
      <ErrorNotice error={summary.error ?? globe.error} />
      <div className="globe-stage globe-stage-small">
        <GlobeCanvas layers={globe.layers} view={settings.data ?? DEFAULT_VIEW} label={`The globe ${isNow ? 'now' : `as of ${formatTime(stop?.at)}`} (read-only)`} />
        <div className="globe-overlay globe-overlay-left">
          <LayerPanel datasets={globe.datasets} readOnly />
        </div>
      </div>
      <GlobeStatus layers={globe.layers} loaded={globe.loaded} loading={globe.loading} />
      <div className="form-actions">
        <button type="button" className="button" onClick={() => setIndex(latest)} disabled={index === latest}>
          Back to now
        </button>
        <button type="button" className="button button-primary" disabled={isNow || !stop} onClick={() => stop && navigate(`/restore?position=${stop.position}`)}>
          Restore to this moment…
        </button>
      </div>
    </div>
  );
}
