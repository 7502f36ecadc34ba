import { useEffect, useRef, useState } from 'react';
import { exportUrl } from '../../api/backups';
import { deleteDataset, updateDataset } from '../../api/globe';
import { downloadFile } from '../../api/download';
import type { Dataset } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { formatCount, formatTime } from '../../components/format';
import { announce } from '../../hooks/dataChanges';

/** A colour picker reports every shade it passes through; the choice is saved once it rests. */
const COLOR_SAVE_DELAY_MS = 400;

/** One dataset: rename, recolour, show or hide, export, delete (after a question). */
export function DatasetRow({ dataset, onError }: { dataset: Dataset; onError: (error: unknown) => void }) {
  const [name, setName] = useState(dataset.name);
  const [color, setColor] = useState(dataset.color);
  const [visible, setVisible] = useState(dataset.visible);
  const [confirming, setConfirming] = useState(false);
  const colorTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => setName(dataset.name), [dataset.name]);
  useEffect(() => setColor(dataset.color), [dataset.color]);
  useEffect(() => setVisible(dataset.visible), [dataset.visible]);
  useEffect(() => () => clearTimeout(colorTimer.current), []);

  /** Runs a change; the control shows the new value at once and goes back to the saved one if the server refuses. */
  const run = async (work: () => Promise<unknown>, ...topics: Parameters<typeof announce>) => {
    onError(null);
    try {
      await work();
      announce(...topics, 'audit');
    } catch (error) {
      onError(error);
      setName(dataset.name);
      setColor(dataset.color);
      setVisible(dataset.visible);
    }
  };
  const toggleVisible = () => {
    setVisible(!visible);
    void run(() => updateDataset(dataset.id, { visible: !visible }), 'datasets');
  };
  const rename = () => {
    const next = name.trim();
    if (next && next !== dataset.name) void run(() => updateDataset(dataset.id, { name: next }), 'datasets');
    else setName(dataset.name);
  };
  const recolour = (next: string) => {
    setColor(next);
    clearTimeout(colorTimer.current);
    colorTimer.current = setTimeout(() => void run(() => updateDataset(dataset.id, { color: next }), 'datasets'), COLOR_SAVE_DELAY_MS);
  };

  return (
    <tr data-testid="dataset-row" data-dataset-id={dataset.id}>
      <td>
        <input type="color" value={color} onChange={(e) => recolour(e.target.value)} aria-label={`Colour of ${dataset.name}`} />
      </td>
      <td>
        <input
          className="name-input"
          value={name}
          maxLength={200}
          aria-label={`Name of ${dataset.name}`}
          onChange={(e) => setName(e.target.value)}
          onBlur={rename}
          onKeyDown={(e) => {
            if (e.key === 'Enter') e.currentTarget.blur();
            if (e.key === 'Escape') setName(dataset.name);
          }}
        />
      </td>
      <td className="num">{formatCount(dataset.locationCount)}</td>
      <td>{dataset.source ? `${dataset.source.fileName ?? 'file'} (${dataset.source.format})` : '—'}</td>
      <td>{formatTime(dataset.updated_at)}</td>
      <td>
        <label className="switch">
          <input type="checkbox" checked={visible} onChange={toggleVisible} />
          <span>{visible ? 'Shown' : 'Hidden'}</span>
        </label>
      </td>
      <td className="row-actions">
        <button type="button" className="button button-small" onClick={() => void run(() => downloadFile(exportUrl('csv', dataset.id), `${dataset.name}.csv`))} aria-label={`Export ${dataset.name} as CSV`}>
          Export CSV
        </button>
        <button type="button" className="button button-small button-danger" onClick={() => setConfirming(true)} aria-label={`Delete ${dataset.name}`}>
          Delete
        </button>
        {confirming && (
          <ConfirmDialog
            title={`Delete “${dataset.name}”?`}
            confirmLabel="Delete dataset"
            onCancel={() => setConfirming(false)}
            onConfirm={() => {
              setConfirming(false);
              void run(() => deleteDataset(dataset.id), 'datasets', 'locations');
            }}
          >
            <p>
              The dataset and its {formatCount(dataset.locationCount)} locations disappear from the globe. Nothing is lost: the audit trail keeps
              them, and the Restore Wizard can bring them back.
            </p>
          </ConfirmDialog>
        )}
      </td>
    </tr>
  );
}
