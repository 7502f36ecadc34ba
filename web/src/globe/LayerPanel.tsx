import { useEffect, useState } from 'react';
import { updateDataset } from '../api/globe';
import type { Dataset } from '../api/types';
import { Link } from '../app/Link';
import { ErrorNotice } from '../components/ErrorNotice';
import { formatCount } from '../components/format';
import { announce } from '../hooks/dataChanges';

/** One row per dataset: its colour, its name and count, and a visibility switch (saved, as in the Globe app). */
export function LayerPanel({ datasets, readOnly }: { datasets: Dataset[]; readOnly?: boolean }) {
  const [error, setError] = useState<unknown>(null);
  /** Switches flipped but not yet confirmed by the server: shown at once, dropped when the datasets reload. */
  const [pending, setPending] = useState<Record<string, boolean>>({});
  useEffect(() => setPending({}), [datasets]);
  const toggle = async (dataset: Dataset) => {
    const visible = !(pending[dataset.id] ?? dataset.visible);
    setError(null);
    setPending((p) => ({ ...p, [dataset.id]: visible }));
    try {
      await updateDataset(dataset.id, { visible });
      announce('datasets', 'audit');
    } catch (e) {
      setError(e);
      setPending((p) => ({ ...p, [dataset.id]: dataset.visible }));
    }
  };
  return (
    <section className="panel layer-panel" aria-labelledby="layers-heading">
      <h2 id="layers-heading">Layers</h2>
      {datasets.length === 0 && (
        <p className="muted">
          No datasets yet. {!readOnly && <Link to="/data?tab=import">Import a file in the Data Manager</Link>}
        </p>
      )}
      <ul className="layer-list">
        {datasets.map((d) => (
          <li key={d.id} className="layer-row">
            <span className="swatch" style={{ background: d.color }} aria-hidden="true" />
            <label className="layer-label">
              <input type="checkbox" checked={pending[d.id] ?? d.visible} disabled={readOnly} onChange={() => toggle(d)} aria-label={`Show ${d.name}`} />
              <span className="layer-name">{d.name}</span>
            </label>
            <span className="layer-count">{formatCount(d.locationCount)}</span>
          </li>
        ))}
      </ul>
      <ErrorNotice error={error} />
    </section>
  );
}
