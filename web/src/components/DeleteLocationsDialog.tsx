import { useState } from 'react';
import { deleteLocation } from '../api/globe';
import type { Location } from '../api/types';
import { announce } from '../hooks/dataChanges';
import { ConfirmDialog } from './ConfirmDialog';
import { ErrorNotice } from './ErrorNotice';
import { formatCount } from './format';

/**
 * Asks before deleting one or several locations, naming them, then deletes them one by one (each a
 * LocationRemoved event in the audit trail, each undoable by a restore). A failure stops there and
 * says which were deleted; the rest stay.
 */
export function DeleteLocationsDialog({ locations, onDone, onCancel }: { locations: Location[]; onDone: (deletedIds: string[]) => void; onCancel: () => void }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const one = locations.length === 1;
  const confirm = async () => {
    setBusy(true);
    const deleted: string[] = [];
    try {
      for (const l of locations) {
        await deleteLocation(l.id);
        deleted.push(l.id);
      }
      onDone(deleted);
    } catch (err) {
      setError(err);
      if (deleted.length > 0) onDone(deleted);
    } finally {
      announce('locations', 'datasets', 'audit');
      setBusy(false);
    }
  };
  const names = locations.slice(0, 5).map((l) => l.name);
  return (
    <ConfirmDialog
      title={one ? `Delete “${locations[0].name}”?` : `Delete ${formatCount(locations.length)} locations?`}
      confirmLabel={busy ? 'Deleting…' : one ? 'Delete location' : `Delete ${formatCount(locations.length)} locations`}
      onConfirm={() => void (busy || confirm())}
      onCancel={onCancel}
    >
      <p>
        {names.join(', ')}
        {locations.length > names.length && ` and ${formatCount(locations.length - names.length)} more`}. The audit trail keeps the deletion; a restore
        can bring {one ? 'it' : 'them'} back.
      </p>
      <ErrorNotice error={error} title="Not every location was deleted" />
    </ConfirmDialog>
  );
}
