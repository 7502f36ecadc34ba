import type { RestorePreview } from '../../api/types';
import { formatCount } from '../../components/format';
import { itemName, countSentences } from '../../components/restoreCounts';

const KINDS = [
  ['datasets', 'Datasets'],
  ['locations', 'Locations'],
  ['configurations', 'Configurations'],
] as const;

/** What the restore would add, change and remove, per kind, with examples of each. */
export function PreviewCounts({ preview }: { preview: RestorePreview }) {
  const sentences = countSentences(preview.counts);
  return (
    <div className="stack">
      {sentences.length === 0 ? (
        <p className="notice notice-info" data-testid="preview-summary">
          Nothing would change: the data in scope is already as it was.
        </p>
      ) : (
        <ul className="preview-summary" data-testid="preview-summary">
          {sentences.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ul>
      )}
      <div className="table-scroll">
        <table className="data-table" aria-label="Preview counts">
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col" className="num">Added</th>
              <th scope="col" className="num">Changed</th>
              <th scope="col" className="num">Removed</th>
              <th scope="col">Examples</th>
            </tr>
          </thead>
          <tbody>
            {KINDS.map(([key, label]) => {
              const s = preview.samples[key];
              const examples = [...s.added.map((i) => `+ ${itemName(i)}`), ...s.changed.map((c) => `~ ${itemName(c.target)}`), ...s.removed.map((i) => `− ${itemName(i)}`)];
              return (
                <tr key={key}>
                  <th scope="row">{label}</th>
                  <td className="num">{formatCount(preview.counts[key].added)}</td>
                  <td className="num">{formatCount(preview.counts[key].changed)}</td>
                  <td className="num">{formatCount(preview.counts[key].removed)}</td>
                  <td className="examples">{examples.slice(0, 6).join(', ') || '—'}</td>
                </tr>
              );
            })}
            <tr>
              <th scope="row">Settings</th>
              <td className="num">—</td>
              <td className="num">{formatCount(preview.counts.settings.changed)}</td>
              <td className="num">—</td>
              <td className="examples">{preview.samples.settings.changed.map((c) => c.key).join(', ') || '—'}</td>
            </tr>
          </tbody>
        </table>
      </div>
    </div>
  );
}
