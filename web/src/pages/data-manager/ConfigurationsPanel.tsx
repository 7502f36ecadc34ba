import { useState } from 'react';
import { deleteConfiguration, listConfigurations, saveConfiguration, updateDataset } from '../../api/globe';
import type { Configuration, Dataset } from '../../api/types';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatTime } from '../../components/format';
import { announce, useVersion } from '../../hooks/dataChanges';
import { useDatasets } from '../../hooks/useDatasets';
import { useLoad } from '../../hooks/useLoad';

interface LayersValue {
  layers: { datasetId: string; color: string; visible: boolean }[];
}

const isLayers = (c: Configuration): c is Configuration & { value: LayersValue } => c.kind === 'layers' && Array.isArray((c.value as LayersValue)?.layers);
const slug = (name: string) => `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'config'}-${Date.now().toString(36)}`;

/** Saved configurations: save the layers as they are now, apply a saved one, delete. */
export function ConfigurationsPanel() {
  const version = useVersion('configurations');
  const configurations = useLoad(() => listConfigurations(), [version]);
  const datasets = useDatasets();
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const run = async (work: () => Promise<unknown>, ...topics: Parameters<typeof announce>) => {
    setError(null);
    try {
      await work();
      announce(...topics, 'audit');
    } catch (e) {
      setError(e);
    }
  };
  const saveLayers = (e: React.FormEvent) => {
    e.preventDefault();
    const value: LayersValue = { layers: (datasets.data ?? []).map((d) => ({ datasetId: d.id, color: d.color, visible: d.visible })) };
    void run(() => saveConfiguration(slug(name), { kind: 'layers', name: name.trim(), value }).then(() => setName('')), 'configurations');
  };
  const apply = (value: LayersValue, current: Dataset[]) =>
    run(async () => {
      for (const layer of value.layers) {
        const d = current.find((x) => x.id === layer.datasetId);
        if (d && (d.color !== layer.color || d.visible !== layer.visible)) await updateDataset(d.id, { color: layer.color, visible: layer.visible });
      }
    }, 'datasets');

  return (
    <div className="stack">
      <form className="inline-form" onSubmit={saveLayers} aria-label="Save the layers">
        <label>
          <span>Save the current layers (colours and visibility) as</span>
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} placeholder="Configuration name" />
        </label>
        <button type="submit" className="button button-primary" disabled={!name.trim()}>
          Save configuration
        </button>
      </form>
      <ErrorNotice error={error ?? configurations.error} />
      <ul className="card-list" aria-label="Saved configurations">
        {(configurations.data ?? []).length === 0 && <li className="muted">No saved configurations yet.</li>}
        {(configurations.data ?? []).map((c) => (
          <li key={c.id} className="card-row">
            <div>
              <strong>{c.name}</strong> <span className="badge">{c.kind}</span>
              <div className="muted">Saved {formatTime(c.updated_at)}</div>
            </div>
            <div className="row-actions">
              {isLayers(c) && (
                <button type="button" className="button button-small" onClick={() => void apply(c.value, datasets.data ?? [])}>
                  Apply
                </button>
              )}
              <button type="button" className="button button-small button-danger" onClick={() => void run(() => deleteConfiguration(c.id), 'configurations')} aria-label={`Delete configuration ${c.name}`}>
                Delete
              </button>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
