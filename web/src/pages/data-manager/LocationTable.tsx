import { useEffect, useState } from 'react';
import type { Location, Settings } from '../../api/types';
import { DeleteLocationsDialog } from '../../components/DeleteLocationsDialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { LocationEditor } from '../../components/LocationEditor';
import { formatCount, formatTime } from '../../components/format';
import { useDatasets } from '../../hooks/useDatasets';
import { useSettings } from '../../hooks/useSettings';
import { useLocationRows } from './useLocationRows';

type SortBy = Settings['sortBy'];

const SEARCH_DELAY_MS = 300;

/**
 * The Globe app's location table: search, sort and filter (saved in the settings as the Globe app
 * does), all done by the server over every location, not only the rows loaded so far. A row is
 * edited in place; one or several selected rows are deleted after a confirmation.
 */
export function LocationTable() {
  const settings = useSettings();
  const datasets = useDatasets();
  const [datasetId, setDatasetId] = useState('');
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const sortBy = settings.data?.sortBy ?? 'name';
  const sortOrder = settings.data?.sortOrder ?? 'asc';
  const filterBy = settings.data?.filterBy ?? 'all';
  const { rows: shown, loading, error, hasMore, loadMore } = useLocationRows(datasetId, q, { sort: sortBy, order: sortOrder, filterBy });
  useEffect(() => {
    const timer = setTimeout(() => setQ(search.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search]);

  const names = new Map((datasets.data ?? []).map((d) => [d.id, d.name]));
  const [editing, setEditing] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [deleting, setDeleting] = useState<Location[] | null>(null);
  const selectedRows = shown.filter((l) => selected.has(l.id));
  const toggle = (id: string) => setSelected((prev) => (prev.has(id) ? new Set([...prev].filter((x) => x !== id)) : new Set([...prev, id])));

  return (
    <div className="stack">
      <div className="form-row" role="search" aria-label="Locations">
        <label>
          <span>Search by name</span>
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="e.g. Paris" />
        </label>
        <label>
          <span>Dataset</span>
          <select value={datasetId} onChange={(e) => setDatasetId(e.target.value)}>
            <option value="">All datasets</option>
            {(datasets.data ?? []).map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Show</span>
          <select value={filterBy} onChange={(e) => void settings.save({ filterBy: e.target.value as Settings['filterBy'] })}>
            <option value="all">All locations</option>
            <option value="with_quantity">With a quantity</option>
            <option value="without_quantity">Without a quantity</option>
          </select>
        </label>
        <label>
          <span>Sort by</span>
          <select value={sortBy} onChange={(e) => void settings.save({ sortBy: e.target.value as SortBy })}>
            <option value="name">Name</option>
            <option value="created_at">Created</option>
            <option value="updated_at">Updated</option>
          </select>
        </label>
        <button type="button" className="button" onClick={() => void settings.save({ sortOrder: sortOrder === 'asc' ? 'desc' : 'asc' })} aria-label={`Sort order: ${sortOrder === 'asc' ? 'ascending' : 'descending'}; switch`}>
          {sortOrder === 'asc' ? '↑ Ascending' : '↓ Descending'}
        </button>
      </div>
      <ErrorNotice error={error ?? settings.error} />
      <div className="form-row">
        <p className="muted" aria-live="polite" data-testid="location-count">
          {loading ? 'Loading…' : `${formatCount(shown.length)} locations shown${hasMore ? ', more to load' : ''}`}
        </p>
        {selectedRows.length > 0 && (
          <button type="button" className="button button-danger" onClick={() => setDeleting(selectedRows)}>
            Delete {formatCount(selectedRows.length)} selected
          </button>
        )}
      </div>
      {deleting && (
        <DeleteLocationsDialog
          locations={deleting}
          onCancel={() => setDeleting(null)}
          onDone={(ids) => {
            setDeleting(null);
            setSelected((prev) => new Set([...prev].filter((id) => !ids.includes(id))));
          }}
        />
      )}
      <div className="table-scroll table-tall">
        <table className="data-table" aria-label="Locations">
          <thead>
            <tr>
              <th scope="col">
                <span className="visually-hidden">Selected</span>
              </th>
              <th scope="col" aria-sort={sortBy === 'name' ? (sortOrder === 'asc' ? 'ascending' : 'descending') : undefined}>
                Name
              </th>
              <th scope="col">Dataset</th>
              <th scope="col" className="num">Latitude</th>
              <th scope="col" className="num">Longitude</th>
              <th scope="col" className="num">Quantity</th>
              <th scope="col" aria-sort={sortBy !== 'name' ? (sortOrder === 'asc' ? 'ascending' : 'descending') : undefined}>
                {sortBy === 'created_at' ? 'Created' : 'Updated'}
              </th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((l) =>
              editing === l.id ? (
                <tr key={l.id} data-testid="location-row-editing">
                  <td colSpan={8}>
                    <LocationEditor location={l} onSaved={() => setEditing(null)} onCancel={() => setEditing(null)} />
                  </td>
                </tr>
              ) : (
                <tr key={l.id} data-testid="location-row">
                  <td>
                    <input type="checkbox" checked={selected.has(l.id)} onChange={() => toggle(l.id)} aria-label={`Select ${l.name}`} />
                  </td>
                  <td>{l.name}</td>
                  <td>{names.get(l.datasetId) ?? '—'}</td>
                  <td className="num">{l.latitude}</td>
                  <td className="num">{l.longitude}</td>
                  <td className="num">{l.quantity ?? '—'}</td>
                  <td>{formatTime(sortBy === 'created_at' ? l.created_at : l.updated_at)}</td>
                  <td className="row-actions">
                    <button type="button" className="button button-small" onClick={() => setEditing(l.id)} aria-label={`Edit ${l.name}`}>
                      Edit
                    </button>
                    <button type="button" className="button button-small" onClick={() => setDeleting([l])} aria-label={`Delete ${l.name}`}>
                      Delete
                    </button>
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      </div>
      {hasMore && (
        <button type="button" className="button" onClick={loadMore} disabled={loading}>
          Load more
        </button>
      )}
    </div>
  );
}
