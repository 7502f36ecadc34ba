import { useEffect, useState } from 'react';
import { locationsPage } from '../../api/globe';
import type { Dataset, Location } from '../../api/types';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatCount } from '../../components/format';

const PAGE_SIZE = 50;
const SEARCH_DELAY_MS = 300;

/** A backup's locations, searchable by name and paginated (the server reads them from the backup, not from now). */
export function BackupLocations({ backupId, datasets }: { backupId: string; datasets: Dataset[] }) {
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const [datasetId, setDatasetId] = useState('');
  const [pages, setPages] = useState<(string | null)[]>([null]);
  const [page, setPage] = useState<{ items: Location[]; next: string | null } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const cursor = pages[pages.length - 1];
  useEffect(() => {
    const timer = setTimeout(() => {
      setQ(search.trim());
      setPages([null]);
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search]);
  useEffect(() => {
    const controller = new AbortController();
    locationsPage({ backupId, q: q || undefined, datasetId: datasetId || undefined, limit: PAGE_SIZE, cursor }, controller.signal).then(
      (p) => !controller.signal.aborted && (setPage(p), setError(null)),
      (e) => !controller.signal.aborted && setError(e),
    );
    return () => controller.abort();
  }, [backupId, q, datasetId, cursor]);
  const names = new Map(datasets.map((d) => [d.id, d.name]));
  return (
    <div className="stack">
      <div className="form-row" role="search" aria-label="Locations in the backup">
        <label>
          <span>Search the backup by name</span>
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="e.g. Paris" />
        </label>
        <label>
          <span>Dataset</span>
          <select value={datasetId} onChange={(e) => (setDatasetId(e.target.value), setPages([null]))}>
            <option value="">All datasets</option>
            {datasets.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorNotice error={error} />
      <table className="data-table compact" aria-label="Locations in the backup">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Dataset</th>
            <th scope="col" className="num">Latitude</th>
            <th scope="col" className="num">Longitude</th>
            <th scope="col" className="num">Quantity</th>
          </tr>
        </thead>
        <tbody>
          {(page?.items ?? []).map((l) => (
            <tr key={l.id} data-testid="backup-location-row">
              <td>{l.name}</td>
              <td>{names.get(l.datasetId) ?? '—'}</td>
              <td className="num">{l.latitude}</td>
              <td className="num">{l.longitude}</td>
              <td className="num">{l.quantity ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="form-row">
        <span className="muted">
          Page {formatCount(pages.length)}
          {page && page.items.length === 0 && ' · no locations match'}
        </span>
        <button type="button" className="button button-small" disabled={pages.length === 1} onClick={() => setPages(pages.slice(0, -1))}>
          Previous page
        </button>
        <button type="button" className="button button-small" disabled={!page?.next} onClick={() => page?.next && setPages([...pages, page.next])}>
          Next page
        </button>
      </div>
    </div>
  );
}
