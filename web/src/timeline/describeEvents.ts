import type { AuditEvent, RestoreCounts } from '../api/types';
import { formatCount } from '../components/format';
import { countSentences } from '../components/restoreCounts';

/** Names of datasets and configurations as the events reveal them, so a deletion can say what it deleted. */
export type Names = Map<string, string>;

export function learnNames(events: AuditEvent[], names: Names = new Map()): Names {
  for (const e of events) {
    const d = e.data as { dataset?: { id: string; name: string }; datasetId?: string; changes?: { name?: string }; configuration?: { id: string; name: string } };
    if (e.type === 'DatasetCreated' && d.dataset) names.set(d.dataset.id, d.dataset.name);
    if (e.type === 'DatasetUpdated' && d.datasetId && d.changes?.name) names.set(d.datasetId, d.changes.name);
    if (e.type === 'ConfigurationSaved' && d.configuration) names.set(d.configuration.id, d.configuration.name);
  }
  return names;
}

const quoted = (names: Names, id: unknown, fallback: string) => (typeof id === 'string' && names.has(id) ? `“${names.get(id)}”` : fallback);

/** One event in words. */
export function describeEvent(e: AuditEvent, names: Names): string {
  const d = e.data as Record<string, any>;
  switch (e.type) {
    case 'DatasetCreated':
      return `Dataset “${d.dataset?.name}” created`;
    case 'DatasetUpdated':
      return `Dataset ${quoted(names, d.datasetId, '')} changed: ${Object.keys(d.changes ?? {}).join(', ')}`;
    case 'DatasetDeleted':
      return `Dataset ${quoted(names, d.datasetId, d.datasetId)} deleted`;
    case 'DatasetImported':
      return `Import of ${d.source?.fileName ?? 'a file'} into ${quoted(names, d.datasetId, 'a dataset')}: ${formatCount(d.locationsWritten ?? 0)} locations`;
    case 'LocationsAdded':
      return `${formatCount(d.locations?.length ?? 0)} locations added to ${quoted(names, d.datasetId, 'a dataset')}`;
    case 'LocationUpdated':
      return `Location changed in ${quoted(names, d.datasetId, 'a dataset')}: ${Object.keys(d.changes ?? {}).join(', ')}`;
    case 'LocationsRemoved':
      return `${formatCount(d.locationIds?.length ?? 0)} locations removed from ${quoted(names, d.datasetId, 'a dataset')}`;
    case 'SettingsChanged':
      return `Settings changed: ${Object.keys(d.patch ?? {}).join(', ')}`;
    case 'ConfigurationSaved':
      return `Configuration “${d.configuration?.name}” saved`;
    case 'ConfigurationDeleted':
      return `Configuration ${quoted(names, d.configurationId, d.configurationId)} deleted`;
    case 'RestoreStarted':
      return d.undoOf ? 'Undo of a restore started' : 'Restore started';
    case 'RestoreCompleted':
      return 'Restore completed';
    case 'RestorePointCreated':
      return `Restore point “${d.name}”`;
    case 'SnapshotsCompacted':
      return `Snapshots compacted (${d.removed?.length ?? 0} removed)`;
    case 'LogCompacted':
      return `${formatCount(d.eventsRemoved ?? 0)} old events folded into a base snapshot (kept in backup ${d.backup?.id ?? '?'})`;
    case 'BackupSchedulesChanged':
      return `Backup schedules changed (${d.schedules?.schedules?.length ?? 0} automatic backups)`;
    default:
      return e.type;
  }
}

/** Events written together (one request, one import, one restore) share a correlation id. */
export interface EventGroup {
  key: string;
  kind: 'import' | 'restore' | 'change';
  events: AuditEvent[];
  summary: string;
}

function summarize(events: AuditEvent[], names: Names): Pick<EventGroup, 'kind' | 'summary'> {
  const started = events.find((e) => e.type === 'RestoreStarted');
  if (started) {
    const counts = (events.find((e) => e.type === 'RestoreCompleted')?.data as { counts?: RestoreCounts } | undefined)?.counts;
    const figures = counts ? `: ${countSentences(counts).join(', ') || 'nothing changed'}` : '';
    return { kind: 'restore', summary: `${(started.data as { undoOf?: string }).undoOf ? 'Undo of a restore' : 'Restore'} by ${started.metadata.actor}${figures}` };
  }
  const imported = events.find((e) => e.type === 'DatasetImported');
  if (imported) return { kind: 'import', summary: describeEvent(imported, names) };
  const main = events.find((e) => e.type !== 'RestorePointCreated') ?? events[0];
  return { kind: 'change', summary: events.length > 1 ? `${describeEvent(main, names)} (+${events.length - 1} events)` : describeEvent(main, names) };
}

/** Consecutive events with one correlation id become one group, in the order given. */
export function groupEvents(events: AuditEvent[], names: Names): EventGroup[] {
  const groups: EventGroup[] = [];
  for (const e of events) {
    const last = groups[groups.length - 1];
    if (last && last.events[0].metadata.correlationId === e.metadata.correlationId) last.events.push(e);
    else groups.push({ key: `${e.position}`, kind: 'change', summary: '', events: [e] });
  }
  for (const g of groups) Object.assign(g, summarize(g.events, names));
  return groups;
}
