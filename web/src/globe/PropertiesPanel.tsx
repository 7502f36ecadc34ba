import type { Dataset, Location } from '../api/types';
import { formatTime, formatValue } from '../components/format';

/** The clicked location: its named fields, then every imported column kept in `properties`. */
export function PropertiesPanel({ location, dataset, onClose }: { location: Location; dataset?: Dataset; onClose: () => void }) {
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
      <dl className="properties">
        {rows.map(([key, value]) => (
          <div key={key} className="property">
            <dt>{key}</dt>
            <dd>{formatValue(value)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
