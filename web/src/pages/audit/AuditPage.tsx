import { useMemo, useState } from 'react';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useDatasets } from '../../hooks/useDatasets';
import { useBackups } from '../backups/useBackups';
import { groupEvents, learnNames } from '../../timeline/describeEvents';
import { useTimeline } from '../../timeline/useTimeline';
import { AuditFilters, type AuditFilter } from './AuditFilters';
import { AuditList } from './AuditList';
import { TimeTravelPanel } from './TimeTravelPanel';
import { useAuditEvents } from './useAuditEvents';

/** The audit timeline: time travel over the log, then the log itself with filters, grouped by import and restore. */
export function AuditPage() {
  const timeline = useTimeline();
  const datasets = useDatasets();
  const [filter, setFilter] = useState<AuditFilter>({});
  const audit = useAuditEvents(filter);
  const names = useMemo(() => {
    const known = learnNames(timeline.data?.stops.flatMap((s) => s.group.events) ?? []);
    return learnNames([...audit.events].reverse(), known);
  }, [timeline.data, audit.events]);
  const groups = useMemo(() => groupEvents(audit.events, names), [audit.events, names]);
  const [travelTo, setTravelTo] = useState<{ position: number } | null>(null);
  const backups = useBackups();
  // Backups stand in the unfiltered trail, within the span of the events loaded so far.
  const oldest = audit.hasMore ? audit.events[audit.events.length - 1]?.recordedAt : undefined;
  const shownBackups = Object.keys(filter).length > 0 ? [] : (backups.data ?? []).filter((b) => !oldest || b.createdAt >= oldest);
  return (
    <div className="page">
      <header className="page-header">
        <h1>Audit Timeline</h1>
        <p className="lead">Every change, who made it and when. Slide back in time to see the globe as it was, without changing anything.</p>
      </header>
      <section className="card" aria-labelledby="travel-heading">
        <h2 id="travel-heading">Time travel</h2>
        {timeline.data && <TimeTravelPanel stops={timeline.data.stops} travelTo={travelTo} />}
        {timeline.data?.truncated && <p className="muted">The slider covers the most recent 1,000 events.</p>}
        <ErrorNotice error={timeline.error} />
      </section>
      <section className="card" aria-labelledby="log-heading">
        <h2 id="log-heading">Events</h2>
        <AuditFilters datasets={datasets.data ?? []} onApply={setFilter} />
        <ErrorNotice error={audit.error} />
        <AuditList
          groups={groups}
          names={names}
          backups={shownBackups}
          onTravel={(position) => {
            setTravelTo({ position });
            document.getElementById('travel-heading')?.scrollIntoView({ behavior: 'smooth' });
          }}
        />
        {audit.hasMore && (
          <button type="button" className="button" onClick={audit.showOlder} disabled={audit.loading}>
            Show older events
          </button>
        )}
      </section>
    </div>
  );
}
