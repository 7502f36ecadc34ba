import { useEffect, useState } from 'react';
import { auditPage } from '../../api/recovery';
import type { AuditEvent } from '../../api/types';
import { useVersion } from '../../hooks/dataChanges';
import type { AuditFilter } from './AuditFilters';

const PAGE_SIZE = 200;

/** The filtered audit trail, newest first, a page at a time ("Show older" follows the cursor). */
export function useAuditEvents(filter: AuditFilter) {
  const version = useVersion('audit');
  const [events, setEvents] = useState<AuditEvent[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const key = `${JSON.stringify(filter)}\n${version}`;
  const [older, setOlder] = useState<{ key: string; after: string } | null>(null);
  const after = older?.key === key ? older.after : null;

  useEffect(() => {
    let live = true;
    setLoading(true);
    auditPage({ ...filter, order: 'desc', limit: PAGE_SIZE, after }).then(
      (page) => {
        if (!live) return;
        setEvents((prev) => (after ? [...prev, ...page.items] : page.items));
        setNext(page.next);
        setError(null);
        setLoading(false);
      },
      (e) => {
        if (!live) return;
        setError(e);
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
    // `key` stands for the filter and the version
  }, [key, after]);

  return { events, error, loading, hasMore: next !== null, showOlder: () => next && setOlder({ key, after: next }) };
}
