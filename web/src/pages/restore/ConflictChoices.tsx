import type { ConflictStrategy, RestorePreview } from '../../api/types';
import { formatCount, formatValue } from '../../components/format';

const STRATEGIES: { value: ConflictStrategy; text: string }[] = [
  { value: 'target-wins', text: 'Take the restored version' },
  { value: 'keep-current', text: 'Keep the current version' },
  { value: 'newest-wins', text: 'Keep whichever was changed last' },
  { value: 'fail', text: 'Do not restore if anything conflicts' },
];

export type Overrides = Record<string, 'target' | 'current'>;

/**
 * Items that exist on both sides with different content: one strategy for all, and a per-item choice
 * that overrides it (sent as `overrides`). The list shows up to 200 items; the count is exact.
 */
export function ConflictChoices({ preview, strategy, overrides, onStrategy, onOverrides }: { preview: RestorePreview; strategy: ConflictStrategy; overrides: Overrides; onStrategy: (s: ConflictStrategy) => void; onOverrides: (o: Overrides) => void }) {
  const { count, items } = preview.conflicts;
  if (count === 0) return <p className="muted">No conflicts: nothing in scope was changed on both sides.</p>;
  const choose = (key: string, value: 'target' | 'current' | '') => {
    const next = { ...overrides };
    if (value) next[key] = value;
    else delete next[key];
    onOverrides(next);
  };
  return (
    <section className="stack" aria-labelledby="conflicts-heading">
      <h3 id="conflicts-heading">{formatCount(count)} conflicts</h3>
      <label>
        <span>For every conflict</span>
        <select value={strategy} onChange={(e) => onStrategy(e.target.value as ConflictStrategy)}>
          {STRATEGIES.map((s) => (
            <option key={s.value} value={s.value}>
              {s.text}
            </option>
          ))}
        </select>
      </label>
      <div className="table-scroll">
        <table className="data-table" aria-label="Conflicts">
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">Now</th>
              <th scope="col">Restored version</th>
              <th scope="col">Choice</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.key}>
                <th scope="row">
                  {c.kind} {formatValue((c.target as { name?: string })?.name ?? c.id)}
                </th>
                <td className="examples">{formatValue(c.current)}</td>
                <td className="examples">{formatValue(c.target)}</td>
                <td>
                  <select value={overrides[c.key] ?? ''} onChange={(e) => choose(c.key, e.target.value as 'target' | 'current' | '')} aria-label={`Choice for ${c.kind} ${c.id}`}>
                    <option value="">As the strategy says</option>
                    <option value="target">Restored version</option>
                    <option value="current">Keep current</option>
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
