import { useState } from 'react';
import { createDataset } from '../../api/globe';
import { ErrorNotice } from '../../components/ErrorNotice';
import { announce } from '../../hooks/dataChanges';
import { useDatasets } from '../../hooks/useDatasets';
import { nextDatasetColor } from './dataset-palette';

/** Creates an empty dataset (locations come by import or one by one). */
export function NewDatasetForm() {
  const [name, setName] = useState('');
  const datasets = useDatasets();
  const [picked, setColor] = useState<string | null>(null);
  // Until the user picks one, the colour is the first no dataset uses yet.
  const color = picked ?? nextDatasetColor((datasets.data ?? []).map((d) => d.color));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await createDataset({ name: name.trim(), color });
      setName('');
      setColor(null);
      announce('datasets', 'audit');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label="New dataset">
      <label>
        <span>New dataset</span>
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} placeholder="Name" />
      </label>
      <label>
        <span>Colour</span>
        <input type="color" value={color} onChange={(e) => setColor(e.target.value)} />
      </label>
      <button type="submit" className="button button-primary" disabled={busy || !name.trim()}>
        Create dataset
      </button>
      <ErrorNotice error={error} />
    </form>
  );
}
