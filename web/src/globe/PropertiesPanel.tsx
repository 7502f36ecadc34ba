import { useState } from 'react';
import type { Dataset, Location } from '../api/types';
import { DeleteLocationsDialog } from '../components/DeleteLocationsDialog';
import { LocationEditor } from '../components/LocationEditor';
import { formatTime, formatValue } from '../components/format';

/**
 * The clicked location: its named fields, then every imported column kept in `properties`; edit it in
 * place or delete it (after a confirmation), and the globe redraws with the change.
 */
export function PropertiesPanel({ location, dataset, onClose, onChanged }: { location: Location; dataset?: Dataset; onClose: () => void; onChanged: (saved: Location | null) => void }) {
  const [mode, setMode] = useState<'view' | 'edit' | 'delete'>('view');
  const rows: [string, unknown][] = [
    ['Dataset', dataset?.name ?? location.datasetId],
    ['Latitude', location.latitude],
    ['Longitude', location.longitude],
    ['Quantity', location.quantity],
    ...Object.entries(location.properties),
    ['Created', formatTime(location.created_at)],
    ['Updated', formatTime(location.updated_at)],
    ['Id', location.id],
  ];
  return (
    <section className="panel properties-panel" aria-labelledby="properties-heading" data-testid="properties-panel">
      <div className="panel-title">
        <h2 id="properties-heading">{location.name}</h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close the properties">
          ×
        </button>
      </div>
      {mode === 'edit' ? (
        <LocationEditor
          location={location}
          onCancel={() => setMode('view')}
          onSaved={(saved) => {
            setMode('view');
            onChanged(saved);
          }}
        />
      ) : (
        <>
          <dl className="properties">
            {rows.map(([key, value]) => (
              <div key={key} className="property">
                <dt>{key}</dt>
                <dd>{formatValue(value)}</dd>
              </div>
            ))}
          </dl>
          <div className="form-row">
            <button type="button" className="button" onClick={() => setMode('edit')}>
              Edit
            </button>
            <button type="button" className="button button-danger" onClick={() => setMode('delete')}>
              Delete
            </button>
          </div>
        </>
      )}
      {mode === 'delete' && <DeleteLocationsDialog locations={[location]} onCancel={() => setMode('view')} onDone={() => onChanged(null)} />}
    </section>
  );
}
