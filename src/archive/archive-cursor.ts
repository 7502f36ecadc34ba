import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

const cursorSchema = z.object({
  /** The store the cursor is about: another store starts its own archive. */
  storage: z.string(),
  epoch: z.number().int().min(1),
  /** Every position up to this one is in the store, in verified objects of this epoch. */
  position: z.number().int().min(0),
  /** recordedAt of `position`; null at 0. */
  recordedAt: z.string().nullable(),
  /** The history this epoch continues (a follower's promotion started it), recorded in its first segment. */
  continues: z.object({ epoch: z.number().int().min(1), position: z.number().int().min(0) }).optional(),
});
export type ArchiveCursorValue = z.infer<typeof cursorSchema>;

/**
 * The archiver's resumable cursor, a small JSON file in DATA_DIR (`archive-cursor.json`). It is
 * advanced only AFTER an upload succeeded, and written to a temporary file, fsynced and renamed
 * (then the folder fsynced), so after a crash it names a range the store holds: nothing is
 * skipped. An object uploaded just before a crash, beyond the cursor, is found and adopted by the
 * archiver's reconciliation, so nothing is uploaded twice either.
 */
export class ArchiveCursor {
  constructor(private readonly file: string) {}

  read(): ArchiveCursorValue | null {
    if (!existsSync(this.file)) return null;
    return cursorSchema.parse(JSON.parse(readFileSync(this.file, 'utf8')));
  }

  /**
   * Synchronous on purpose: a few hundred bytes and two fsyncs block the event loop for a few ms,
   * where the same steps through the thread pool (eight trips) each waited behind the HTTP work of
   * a loaded server, holding the position back from counting as archived for up to a second.
   */
  async write(value: ArchiveCursorValue): Promise<void> {
    const partial = `${this.file}.partial`;
    writeFileSync(partial, JSON.stringify(cursorSchema.parse(value)) + '\n');
    sync(partial);
    renameSync(partial, this.file);
    sync(dirname(this.file));
  }
}

function sync(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
