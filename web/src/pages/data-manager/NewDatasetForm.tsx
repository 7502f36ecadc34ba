import { useState } from 'react';
import { createDataset } from '../../api/globe';
import { ErrorNotice } from '../../components/ErrorNotice';
import { announce } from '../../hooks/dataChanges';

const DEFAULT_COLOR = '#3b82f6';

/** Creates an empty dataset (locations come by import or one by one). */
export function NewDatasetForm() {
  const [name, setName] = useState('');
  const [color, setColor] = useState(DEFAULT_COLOR);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await createDataset({ name: name.trim(), color });
      setName('');
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
