import { api } from '../../api/client';
import { previewRestore } from '../../api/recovery';
import type { Backup, Configuration, Page, Settings } from '../../api/types';
import { navigate } from '../../app/router';
import { ErrorNotice } from '../../components/ErrorNotice';
import { fieldName } from '../../components/fieldNames';
import { formatCount, formatTime, formatValue } from '../../components/format';
import { countSentences } from '../../components/restoreCounts';
import { GlobeCanvas } from '../../globe/GlobeCanvas';
import { GlobeStatus } from '../../globe/GlobeStatus';
import { DEFAULT_VIEW } from '../../globe/globeStyles';
import { LayerPanel } from '../../globe/LayerPanel';
import { useGlobeLayers } from '../../hooks/useGlobeLayers';
import { useLoad } from '../../hooks/useLoad';
import { BackupLocations } from './BackupLocations';

const restoreUrl = (backupId: string, datasetId?: string) =>
  `/restore?${new URLSearchParams({ backupId, ...(datasetId ? { datasetId } : {}) })}`;

/**
 * One backup opened in the Backup Browser, before any restore: its datasets with counts, its
 * locations (searchable, a page at a time), its settings and configurations, its globe, and what
 * restoring it would change now (a preview, which writes nothing). "Restore this dataset" and
 * "Restore everything" open the Restore Wizard with that choice made.
 */
export function BackupDetails({ backup, onClose }: { backup: Backup; onClose: () => void }) {
  const globe = useGlobeLayers(undefined, backup.id);
  const settings = useLoad(() => api.get<Settings>('/api/settings', { backupId: backup.id }), [backup.id]);
  const configurations = useLoad(() => api.get<Page<Configuration>>('/api/configurations', { backupId: backup.id }).then((p) => p.items), [backup.id]);
  const differs = useLoad(() => previewRestore({ backupId: backup.id }, {}), [backup.id]);
  const changes = differs.data ? countSentences(differs.data.counts) : [];
  return (
    <section className="card stack" aria-labelledby="backup-details-heading" data-testid="backup-details">
      <div className="panel-title">
        <h2 id="backup-details-heading">Backup of {formatTime(backup.createdAt)}</h2>
        <button type="button" className="button" onClick={onClose}>
          Back to all backups
        </button>
      </div>
      {backup.encrypted && <p className="notice">This backup is encrypted: its content shows once the Restore Wizard has its passphrase or the server its key.</p>}
      <p data-testid="backup-differs">
        {differs.data
          ? changes.length > 0
            ? `Restoring everything from it would change now: ${changes.join(', ')}.`
            : 'It holds exactly what you have now.'
          : differs.error
            ? 'What differs from now could not be worked out.'
            : 'Comparing with now…'}
      </p>
      <ErrorNotice error={differs.error} title="What differs from now could not be worked out" />
      <div className="form-actions">
        <button type="button" className="button button-primary" onClick={() => navigate(restoreUrl(backup.id))}>
          Restore everything…
        </button>
      </div>
      <h3>Datasets</h3>
      <ErrorNotice error={globe.error} />
      <table className="data-table compact" aria-label="Datasets in the backup">
        <thead>
          <tr>
            <th scope="col">Dataset</th>
            <th scope="col" className="num">Locations</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {globe.datasets.map((d) => (
            <tr key={d.id} data-testid="backup-dataset-row">
              <td>
                <span className="swatch" style={{ background: d.color }} aria-hidden /> {d.name}
              </td>
              <td className="num">{formatCount(d.locationCount)}</td>
              <td>
                <button type="button" className="button button-small" onClick={() => navigate(restoreUrl(backup.id, d.id))} aria-label={`Restore ${d.name} from this backup`}>
                  Restore this dataset…
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="globe-stage globe-stage-small">
        <GlobeCanvas layers={globe.layers} view={settings.data ?? DEFAULT_VIEW} label={`The globe as the backup of ${formatTime(backup.createdAt)} holds it (read-only)`} />
        <div className="globe-overlay globe-overlay-left">
          <LayerPanel datasets={globe.datasets} readOnly />
        </div>
      </div>
      <GlobeStatus layers={globe.layers} loaded={globe.loaded} loading={globe.loading} />
      <h3>Locations</h3>
      <BackupLocations backupId={backup.id} datasets={globe.datasets} />
      <h3>Settings</h3>
      <ErrorNotice error={settings.error} />
      {settings.data && (
        <dl className="properties" aria-label="Settings in the backup">
          {Object.entries(settings.data).map(([key, value]) => (
            <div key={key} className="property">
              <dt>{fieldName(key)}</dt>
              <dd>{formatValue(value)}</dd>
            </div>
          ))}
        </dl>
      )}
      <h3>Configurations</h3>
      <ErrorNotice error={configurations.error} />
      {configurations.data && configurations.data.length === 0 && <p className="muted">No saved configurations.</p>}
      <ul aria-label="Configurations in the backup">
        {(configurations.data ?? []).map((c) => (
          <li key={c.id}>
            {c.name} <span className="muted">({c.kind})</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
