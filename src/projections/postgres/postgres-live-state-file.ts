import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LiveReadModels } from '../live-read-models';
import type { LiveStateFile } from '../sqlite/scratch-state';

/**
 * The live read models as a SQLite file, for the comparisons of scratch states (restore previews,
 * restores) while the live read models are in PostgreSQL: each use exports them (exportState: one
 * REPEATABLE READ snapshot, so the file is one moment between two applies) into `tmpDir`, and the
 * file is removed once `fn` settles, whatever its outcome. Costs one export per comparison
 * (proportional to the live state), where the SQLite engine attaches its live file directly.
 */
export class PostgresLiveStateFile implements LiveStateFile {
  constructor(
    private readonly live: LiveReadModels,
    private readonly tmpDir: string,
  ) {}

  async use<R>(fn: (path: string) => Promise<R>): Promise<R> {
    await mkdir(this.tmpDir, { recursive: true });
    const path = join(this.tmpDir, `live-${randomUUID()}.sqlite`);
    try {
      await this.live.exportState(path);
      return await fn(path);
    } finally {
      await rm(path, { force: true });
    }
  }
}
