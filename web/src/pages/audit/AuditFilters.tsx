import { useState } from 'react';
import type { AuditQuery } from '../../api/recovery';
import type { Dataset } from '../../api/types';

const EVENT_TYPES = [
  'DatasetCreated',
  'DatasetUpdated',
  'DatasetDeleted',
  'DatasetImported',
  'LocationsAdded',
  'LocationUpdated',
  'LocationsRemoved',
  'SettingsChanged',
  'ConfigurationSaved',
  'ConfigurationDeleted',
  'RestoreStarted',
  'RestoreCompleted',
  'RestorePointCreated',
  'SnapshotsCompacted',
  'LogCompacted',
  'BackupSchedulesChanged',
];

/** `datetime-local` has no zone: read it as local time and send it as ISO (UTC). */
const toIso = (local: string) => (local ? new Date(local).toISOString() : undefined);

export type AuditFilter = Pick<AuditQuery, 'type' | 'datasetId' | 'actor' | 'from' | 'to'>;

/** The audit trail's filters: event type, dataset, actor, and a time window. */
export function AuditFilters({ datasets, onApply }: { datasets: Dataset[]; onApply: (filter: AuditFilter) => void }) {
  const [type, setType] = useState('');
  const [datasetId, setDatasetId] = useState('');
  const [actor, setActor] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    onApply({ type: type || undefined, datasetId: datasetId || undefined, actor: actor.trim() || undefined, from: toIso(from), to: toIso(to) });
  };
  return (
    <form className="form-row" onSubmit={submit} aria-label="Filter the audit trail">
      <label>
        <span>Type</span>
        <select value={type} onChange={(e) => setType(e.target.value)}>
          <option value="">Any type</option>
          {EVENT_TYPES.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </label>
      <label>
        <span>Dataset</span>
        <select value={datasetId} onChange={(e) => setDatasetId(e.target.value)}>
          <option value="">Any dataset</option>
          {datasets.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Actor</span>
        <input value={actor} onChange={(e) => setActor(e.target.value)} placeholder="Anyone" />
      </label>
      <label>
        <span>From</span>
        <input type="datetime-local" step={1} value={from} onChange={(e) => setFrom(e.target.value)} />
      </label>
      <label>
        <span>To</span>
        <input type="datetime-local" step={1} value={to} onChange={(e) => setTo(e.target.value)} />
      </label>
      <button type="submit" className="button button-primary">
        Apply filters
      </button>
    </form>
  );
}
