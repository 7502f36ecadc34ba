import type { AuditEvent } from '../../api/types';
import { formatTime } from '../../components/format';
import { describeEvent, type EventGroup, type Names } from '../../timeline/describeEvents';

/** The audit trail, newest first, one entry per group: an import or a restore folds its many events into one line that opens. */
export function AuditList({ groups, names }: { groups: EventGroup[]; names: Names }) {
  if (groups.length === 0) return <p className="muted">No events match.</p>;
  return (
    <ol className="audit-list" aria-label="Audit trail">
      {groups.map((g) => (
        <li key={g.key} className={`audit-group audit-${g.kind}`} data-testid="audit-group">
          {g.events.length === 1 ? (
            <EventLine event={g.events[0]} names={names} />
          ) : (
            <details>
              <summary>
                <span className={`badge badge-${g.kind}`}>{g.kind}</span> {g.summary}
                <span className="muted"> · {g.events.length} events · {formatTime(g.events[0].recordedAt)} · {g.events[0].metadata.actor}</span>
              </summary>
              <ol className="audit-events">
                {g.events.map((e) => (
                  <li key={e.position}>
                    <EventLine event={e} names={names} />
                  </li>
                ))}
              </ol>
            </details>
          )}
        </li>
      ))}
    </ol>
  );
}

function EventLine({ event: e, names }: { event: AuditEvent; names: Names }) {
  return (
    <div className="audit-event">
      <span className="audit-text">{describeEvent(e, names)}</span>
      <span className="muted">
        {' '}
        · #{e.position} {e.type} · {formatTime(e.recordedAt)} · {e.metadata.actor} via {e.metadata.source}
        {e.metadata.reason && ` · “${e.metadata.reason}”`}
      </span>
    </div>
  );
}
