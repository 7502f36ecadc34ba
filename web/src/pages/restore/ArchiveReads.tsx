import type { RestorePreview } from '../../api/types';
import { formatBytes, plural } from '../../components/format';
import { storageLocation } from '../backups/storageLocation';

/** What a restore from the storage alone will read: the objects, their bytes, and where from. */
export function ArchiveReads({ archive }: { archive: NonNullable<RestorePreview['archive']> }) {
  const where = storageLocation(archive.storage);
  return (
    <details className="notice notice-info" data-testid="archive-reads">
      <summary>
        Reads {plural(archive.objects.length, 'object', 'objects')} ({formatBytes(archive.bytes)}) from the {where.noun} <code>{where.location}</code>
      </summary>
      <ul>
        {archive.objects.map((o) => (
          <li key={o.key}>
            <code>{o.key}</code>
            {o.from !== undefined && o.to !== undefined && ` · changes ${o.from.toLocaleString()}–${o.to.toLocaleString()}`} · {formatBytes(o.bytes)}
          </li>
        ))}
      </ul>
    </details>
  );
}
