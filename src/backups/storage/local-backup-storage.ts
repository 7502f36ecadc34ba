import { createReadStream, createWriteStream, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { v7 as uuidv7 } from 'uuid';
import { BackupStorage, StoredObject, checkKey, storedObjectNotFound } from './backup-storage';

const TMP_PREFIX = '.partial-';

/**
 * Backup files in a local folder. `put` writes `.partial-<uuid>`, fsyncs the file, renames it to the
 * key and fsyncs the folder, so the name appears only for a complete, durable file. Partial files
 * left by a crash are removed when the storage opens and never listed.
 */
export class LocalBackupStorage extends BackupStorage {
  private readonly root: string;

  constructor(root: string) {
    super();
    this.root = resolve(root);
    mkdirSync(this.root, { recursive: true });
    for (const name of readdirSync(this.root)) if (name.startsWith(TMP_PREFIX)) rmSync(join(this.root, name), { force: true });
  }

  describe(): string {
    return `file:${this.root}`;
  }

  async put(key: string, body: Readable): Promise<StoredObject> {
    const target = this.path(key);
    const partial = join(this.root, `${TMP_PREFIX}${uuidv7()}`);
    try {
      await pipeline(body, createWriteStream(partial, { flags: 'wx' }));
      await fsync(partial);
      await rename(partial, target);
      await fsync(this.root);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    return (await this.stat(key))!;
  }

  async get(key: string): Promise<Readable> {
    const path = this.path(key);
    if (!(await this.stat(key))) throw storedObjectNotFound(key);
    return createReadStream(path);
  }

  async stat(key: string): Promise<StoredObject | null> {
    try {
      const s = await stat(this.path(key));
      return s.isFile() ? { key, size: s.size, modifiedAt: s.mtime.toISOString() } : null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async list(): Promise<StoredObject[]> {
    const names = (await readdir(this.root)).filter((n) => !n.startsWith('.'));
    const objects = await Promise.all(names.map((n) => this.stat(n).catch(() => null)));
    return objects.filter((o): o is StoredObject => o !== null);
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  /** The file of a key, checked twice: by the key's grammar, and by the resolved path staying under the root. */
  private path(key: string): string {
    const path = resolve(this.root, checkKey(key));
    if (!path.startsWith(this.root + sep)) throw storedObjectNotFound(key);
    return path;
  }
}

async function fsync(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
