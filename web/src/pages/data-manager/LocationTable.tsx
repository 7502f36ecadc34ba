import { useEffect, useState } from 'react';
import type { Settings } from '../../api/types';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatCount, formatTime } from '../../components/format';
import { useDatasets } from '../../hooks/useDatasets';
import { useSettings } from '../../hooks/useSettings';
import { useLocationRows } from './useLocationRows';

type SortBy = Settings['sortBy'];

const SEARCH_DELAY_MS = 300;

/**
 * The Globe app's location table: search, sort and filter (saved in the settings as the Globe app
 * does), all done by the server over every location, not only the rows loaded so far.
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
      <p className="muted" aria-live="polite" data-testid="location-count">
        {loading ? 'Loading…' : `${formatCount(shown.length)} locations shown${hasMore ? ', more to load' : ''}`}
      </p>
      <div className="table-scroll table-tall">
        <table className="data-table" aria-label="Locations">
          <thead>
            <tr>
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
            </tr>
          </thead>
          <tbody>
            {shown.map((l) => (
              <tr key={l.id} data-testid="location-row">
                <td>{l.name}</td>
                <td>{names.get(l.datasetId) ?? '—'}</td>
                <td className="num">{l.latitude}</td>
                <td className="num">{l.longitude}</td>
                <td className="num">{l.quantity ?? '—'}</td>
                <td>{formatTime(sortBy === 'created_at' ? l.created_at : l.updated_at)}</td>
              </tr>
            ))}
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
