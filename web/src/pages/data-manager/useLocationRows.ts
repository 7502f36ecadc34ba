import { useEffect, useState } from 'react';
import { type LocationQuery, locationsPage } from '../../api/globe';
import type { Location } from '../../api/types';
import { useVersion } from '../../hooks/dataChanges';

const PAGE_SIZE = 1000;

export interface RowOrder {
  sort: NonNullable<LocationQuery['sort']>;
  order: NonNullable<LocationQuery['order']>;
  filterBy: NonNullable<LocationQuery['filterBy']>;
}

/**
 * The location table's rows: the server searches, filters and sorts them (pages of 1,000 in the
 * chosen order), "Load more" follows the cursor. A new search or order starts over; an answer to an
 * older one is dropped.
 */
export function useLocationRows(datasetId: string, q: string, order: RowOrder) {
  const version = useVersion('locations');
  const [rows, setRows] = useState<Location[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const key = `${datasetId}\n${q}\n${order.sort}\n${order.order}\n${order.filterBy}\n${version}`;
  const [more, setMore] = useState<{ key: string; cursor: string } | null>(null);
  const cursor = more?.key === key ? more.cursor : null;

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    locationsPage({ datasetId: datasetId || undefined, q: q || undefined, ...order, limit: PAGE_SIZE, cursor }, controller.signal).then(
      (page) => {
        if (controller.signal.aborted) return;
        setRows((prev) => (cursor ? [...prev, ...page.items] : page.items));
        setNext(page.next);
        setError(null);
        setLoading(false);
      },
      (e) => {
        if (controller.signal.aborted) return;
        setError(e);
        setLoading(false);
      },
    );
    return () => controller.abort();
    // `key` stands for datasetId, q, the order and version
  }, [key, cursor]);

  return { rows, loading, error, hasMore: next !== null, loadMore: () => next && setMore({ key, cursor: next }) };
}
