import { existsSync, readFileSync } from 'node:fs';
import { open, rename, writeFile } from 'node:fs/promises';
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

  async write(value: ArchiveCursorValue): Promise<void> {
    const partial = `${this.file}.partial`;
    await writeFile(partial, JSON.stringify(cursorSchema.parse(value)) + '\n');
    await sync(partial);
    await rename(partial, this.file);
    await sync(dirname(this.file));
  }
}

async function sync(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
