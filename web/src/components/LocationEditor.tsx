import { useState } from 'react';
import { type LocationChanges, updateLocation } from '../api/globe';
import type { Location } from '../api/types';
import { announce } from '../hooks/dataChanges';
import { ErrorNotice } from './ErrorNotice';

/** An extra column's value as text in the form; read back as the type it had (a number stays a number). */
const asText = (value: unknown): string => (typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value));

function fromText(text: string, was: unknown): unknown {
  if (typeof was === 'string') return text;
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Edits one location in place: name, coordinates, quantity and every extra column the import kept.
 * Sends only what changed (one LocationUpdated event, nothing when nothing changed); the server's
 * checks decide (a latitude past 90 comes back as LOCATION.INVALID_COORDINATES and is shown here).
 */
export function LocationEditor({ location, onSaved, onCancel }: { location: Location; onSaved: (saved: Location) => void; onCancel: () => void }) {
  const [name, setName] = useState(location.name);
  const [latitude, setLatitude] = useState(String(location.latitude));
  const [longitude, setLongitude] = useState(String(location.longitude));
  const [quantity, setQuantity] = useState(location.quantity === undefined || location.quantity === null ? '' : String(location.quantity));
  const [extra, setExtra] = useState(() => Object.entries(location.properties).map(([key, value]) => [key, asText(value)] as const));
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);

  const changes = (): LocationChanges => {
    const out: LocationChanges = {};
    if (name.trim() !== location.name) out.name = name.trim();
    if (Number(latitude) !== location.latitude) out.latitude = latitude.trim() === '' ? Number.NaN : Number(latitude);
    if (Number(longitude) !== location.longitude) out.longitude = longitude.trim() === '' ? Number.NaN : Number(longitude);
    const q = quantity.trim() === '' ? null : Number(quantity);
    if (q !== (location.quantity ?? null)) out.quantity = q;
    const properties = Object.fromEntries(extra.map(([key, text]) => [key, fromText(text, location.properties[key])]));
    if (JSON.stringify(properties) !== JSON.stringify(location.properties)) out.properties = properties;
    return out;
  };

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    const changed = changes();
    if (Object.keys(changed).length === 0) return onCancel();
    setSaving(true);
    setError(null);
    try {
      const saved = await updateLocation(location.id, changed);
      announce('locations', 'audit');
      onSaved(saved);
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="location-editor stack" onSubmit={save} aria-label={`Edit ${location.name}`}>
      <div className="form-row">
        <label>
          <span>Name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={1000} />
        </label>
        <label>
          <span>Latitude</span>
          <input type="number" step="any" min={-90} max={90} value={latitude} onChange={(e) => setLatitude(e.target.value)} required />
        </label>
        <label>
          <span>Longitude</span>
          <input type="number" step="any" min={-180} max={180} value={longitude} onChange={(e) => setLongitude(e.target.value)} required />
        </label>
        <label>
          <span>Quantity</span>
          <input type="number" step="any" value={quantity} onChange={(e) => setQuantity(e.target.value)} placeholder="none" />
        </label>
        {extra.map(([key, text], i) => (
          <label key={key}>
            <span>{key}</span>
            <input value={text} onChange={(e) => setExtra(extra.map((entry, j) => (j === i ? [key, e.target.value] : entry)))} />
          </label>
        ))}
      </div>
      <ErrorNotice error={error} title="The change was not saved" />
      <div className="form-row">
        <button type="submit" className="button button-primary" disabled={saving}>
          Save changes
        </button>
        <button type="button" className="button" onClick={onCancel} disabled={saving}>
          Cancel
        </button>
      </div>
    </form>
  );
}
