import type { AuditEvent } from '../../api/types';
import { fieldName } from '../../components/fieldNames';
import { formatValue } from '../../components/format';

interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

const NOT_RECORDED = Symbol('not recorded');

/**
 * The fields an event changed, before → after. `before` is in the event since it was written with it
 * (older events, and a restore's compensating changes, lack it: shown as "not recorded").
 */
export function fieldChanges(e: AuditEvent): FieldChange[] {
  const d = e.data as Record<string, any>;
  const pairs = (after: Record<string, unknown> | undefined, before: Record<string, unknown> | undefined) =>
    Object.entries(after ?? {}).map(([field, value]) => ({ field, before: before ? before[field] : NOT_RECORDED, after: value }));
  switch (e.type) {
    case 'DatasetUpdated':
    case 'LocationUpdated':
      return pairs(d.changes, d.before);
    case 'SettingsChanged':
      return pairs(d.patch, d.before);
    case 'ConfigurationSaved': {
      if (!d.before) return [];
      return ['name', 'kind', 'value']
        .filter((k) => JSON.stringify(d.before[k]) !== JSON.stringify(d.configuration?.[k]))
        .map((field) => ({ field, before: d.before[field], after: d.configuration?.[field] }));
    }
    default:
      return [];
  }
}

export function EventFields({ changes }: { changes: FieldChange[] }) {
  return (
    <table className="data-table compact" aria-label="Fields changed">
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c) => (
          <tr key={c.field}>
            <th scope="row">{fieldName(c.field)}</th>
            <td>{c.before === NOT_RECORDED ? <span className="muted">not recorded</span> : formatValue(c.before)}</td>
            <td>{formatValue(c.after)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
