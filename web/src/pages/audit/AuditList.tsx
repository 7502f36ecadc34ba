import type { AuditEvent, Backup } from '../../api/types';
import { formatBytes, formatCount, formatTime } from '../../components/format';
import { describeEvent, type EventGroup, type Names } from '../../timeline/describeEvents';
import { EventFields, fieldChanges } from './EventFields';

type Entry = { kind: 'group'; at: string; group: EventGroup } | { kind: 'backup'; at: string; backup: Backup };

/**
 * The audit trail, newest first, one entry per group: an import or a restore folds its many events
 * into one line that opens. Backups (not events: they change no data) stand between the events at
 * their time. Each event shows the fields it changed, before → after, and moves the time-travel
 * slider to just after it.
 */
export function AuditList({ groups, names, backups, onTravel }: { groups: EventGroup[]; names: Names; backups: Backup[]; onTravel: (position: number) => void }) {
  if (groups.length === 0 && backups.length === 0) return <p className="muted">No events match.</p>;
  const entries: Entry[] = [
    ...groups.map((group): Entry => ({ kind: 'group', at: group.events[0].recordedAt, group })),
    ...backups.map((backup): Entry => ({ kind: 'backup', at: backup.createdAt, backup })),
  ].sort((a, b) => b.at.localeCompare(a.at));
  return (
    <ol className="audit-list" aria-label="Audit trail">
      {entries.map((entry) =>
        entry.kind === 'backup' ? (
          <li key={`backup-${entry.backup.id}`} className="audit-group audit-backup" data-testid="audit-backup">
            <span className="badge badge-backup">backup</span> {entry.backup.kind === 'scheduled' ? 'Scheduled backup' : 'Backup'} of {formatCount(entry.backup.counts.locations)}{' '}
            locations ({formatBytes(entry.backup.size)})
            <span className="muted">
              {' '}
              · {formatTime(entry.backup.createdAt)} · {entry.backup.actor}
              {entry.backup.lastVerifyResult === 'ok' && ' · verified'}
            </span>
          </li>
        ) : (
          <li key={entry.group.key} className={`audit-group audit-${entry.group.kind}`} data-testid="audit-group">
            {entry.group.events.length === 1 ? (
              <EventLine event={entry.group.events[0]} names={names} onTravel={onTravel} />
            ) : (
              <details>
                <summary>
                  <span className={`badge badge-${entry.group.kind}`}>{entry.group.kind}</span> {entry.group.summary}
                  <span className="muted">
                    {' '}
                    · {entry.group.events.length} events · {formatTime(entry.group.events[0].recordedAt)} · {entry.group.events[0].metadata.actor}
                  </span>
                </summary>
                <ol className="audit-events">
                  {entry.group.events.map((e) => (
                    <li key={e.position}>
                      <EventLine event={e} names={names} onTravel={onTravel} />
                    </li>
                  ))}
                </ol>
              </details>
            )}
          </li>
        ),
      )}
    </ol>
  );
}

function EventLine({ event: e, names, onTravel }: { event: AuditEvent; names: Names; onTravel: (position: number) => void }) {
  const changes = fieldChanges(e);
  return (
    <div className="audit-event">
      <button type="button" className="link-button audit-text" onClick={() => onTravel(e.position)} title="Show the globe just after this change">
        {describeEvent(e, names)}
      </button>
      <span className="muted">
        {' '}
        · {formatTime(e.recordedAt)} · {e.metadata.actor} via {e.metadata.source}
        {e.metadata.reason && ` · “${e.metadata.reason}”`}
      </span>
      {changes.length > 0 && (
        <details className="audit-fields">
          <summary>What changed</summary>
          <EventFields changes={changes} />
        </details>
      )}
      <details className="audit-ids">
        <summary className="muted">Ids</summary>
        <span className="muted">
          #{e.position} {e.type} · event {e.eventId} · correlation {e.metadata.correlationId}
        </span>
      </details>
    </div>
  );
}
