import type { Conflict, ConflictStrategy, RestorePreview } from '../../api/types';
import { formatCount, plural } from '../../components/format';
import { type Overrides, changedFields, itemTitle, keepsCurrentItem, resolutionOf } from './resolution';

export type { Overrides } from './resolution';

const STRATEGIES: { value: ConflictStrategy; text: string }[] = [
  { value: 'target-wins', text: 'Take the restored version' },
  { value: 'keep-current', text: 'Keep the current version' },
  { value: 'newest-wins', text: 'Keep whichever was changed last' },
  { value: 'fail', text: 'Do not restore if anything conflicts' },
];

/** One item that differs: its fields side by side (field, now, restored version). */
function FieldTable({ item }: { item: Conflict }) {
  return (
    <table className="data-table" aria-label={`${itemTitle(item)}: fields`}>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Now</th>
          <th scope="col">Restored version</th>
        </tr>
      </thead>
      <tbody>
        {changedFields(item).map((f) => (
          <tr key={f.field}>
            <th scope="row">{f.field}</th>
            <td className="examples">{f.now}</td>
            <td className="examples">{f.restored}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The items that differ, as the server sorts them (src/recovery/restore-plan.ts): conflicts, changed
 * both here and in the restored version since the target, each with its fields and a choice that
 * overrides the strategy (sent as `overrides`); and plain changes, changed on the restored side
 * only, which are restored like additions. Up to 200 of each are listed; the counts are exact.
 */
export function ConflictChoices({ preview, strategy, overrides, onStrategy, onOverrides }: { preview: RestorePreview; strategy: ConflictStrategy; overrides: Overrides; onStrategy: (s: ConflictStrategy) => void; onOverrides: (o: Overrides) => void }) {
  const { count, items } = preview.conflicts;
  const plain = preview.changes ?? { count: 0, items: [] };
  const resolution = resolutionOf(preview, strategy, overrides);
  const choose = (key: string, value: 'target' | 'current' | '') => {
    const next = { ...overrides };
    if (value) next[key] = value;
    else delete next[key];
    onOverrides(next);
  };
  return (
    <div className="stack">
      {count === 0 ? (
        <p className="muted">No conflicts: nothing in scope was changed both here and in the restored version.</p>
      ) : (
        <section className="stack" aria-labelledby="conflicts-heading">
          <h3 id="conflicts-heading">{plural(count, 'conflict', 'conflicts')}</h3>
          <p className="muted">Changed here since then, and different in the restored version: choose which version stays.</p>
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
          <ul className="plain-list stack" aria-label="Conflicts">
            {items.map((c) => (
              <li key={c.key} className="stack" data-testid="conflict">
                <div className="form-row">
                  <strong>{itemTitle(c)}</strong>
                  <span className="muted">{keepsCurrentItem(c, resolution) ? 'keeps the current version' : 'takes the restored version'}</span>
                  <select value={overrides[c.key] ?? ''} onChange={(e) => choose(c.key, e.target.value as 'target' | 'current' | '')} aria-label={`Choice for ${itemTitle(c)}`}>
                    <option value="">As chosen for every conflict</option>
                    <option value="target">Restored version</option>
                    <option value="current">Keep current</option>
                  </select>
                </div>
                <div className="table-scroll">
                  <FieldTable item={c} />
                </div>
              </li>
            ))}
          </ul>
          {count > items.length && <p className="muted">The first {formatCount(items.length)} are listed; the choice for every conflict settles the others.</p>}
        </section>
      )}
      {plain.count > 0 && (
        <details data-testid="plain-changes">
          <summary>
            {plural(plain.count, 'item differs', 'items differ')} only because the restored version changed {plain.count === 1 ? 'it' : 'them'}: nothing changed {plain.count === 1 ? 'it' : 'them'} here since, so the restore simply brings back that version
          </summary>
          <ul className="plain-list stack">
            {plain.items.map((c) => (
              <li key={c.key} className="stack">
                <strong>{itemTitle(c)}</strong>
                <div className="table-scroll">
                  <FieldTable item={c} />
                </div>
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
