import { parentPort } from 'node:worker_threads';
import { Reply, compressCopy } from './snapshot-file';

/** Worker entry of SnapshotCompressor: one compressCopy per message, answered by id (concurrent ones interleave). */
parentPort!.on('message', ({ id, copyPath, gzPath }: { id: number; copyPath: string; gzPath: string }) => {
  compressCopy(copyPath, gzPath).then(
    (result) => parentPort!.postMessage({ id, result } satisfies Reply),
    (error: unknown) => parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) } satisfies Reply),
  );
});
