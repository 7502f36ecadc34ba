import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { v7 as uuidv7 } from 'uuid';
import { ArchiveObject, ArchiveObjectStore, archiveObjectNotFound, checkArchiveKey } from './archive-object-store';

const TMP_PREFIX = '.partial-';

/**
 * The archive in a local folder (`ARCHIVE_STORAGE=file:<dir>`; a mounted disk or a synced folder).
 * A key's `/` segments are subfolders. `put` writes `.partial-<uuid>` beside the target, fsyncs it,
 * renames it and fsyncs the folder, so a name appears only for a complete, durable object; partial
 * files are never listed (names starting with a dot are not keys).
 */
export class FolderArchiveStore extends ArchiveObjectStore {
  private readonly root: string;

  constructor(root: string) {
    super();
    this.root = resolve(root);
    mkdirSync(this.root, { recursive: true });
  }

  describe(): string {
    return `file:${this.root}`;
  }

  async put(key: string, body: Buffer | Readable): Promise<ArchiveObject> {
    const target = this.path(key);
    const folder = dirname(target);
    await mkdir(folder, { recursive: true });
    const partial = join(folder, `${TMP_PREFIX}${uuidv7()}`);
    try {
      await pipeline(Buffer.isBuffer(body) ? Readable.from([body]) : body, createWriteStream(partial, { flags: 'wx' }));
      await fsync(partial);
      await rename(partial, target);
      await fsync(folder);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    const s = await stat(target);
    return { key, size: s.size, modifiedAt: s.mtime.toISOString() };
  }

  async get(key: string): Promise<Readable> {
    const path = this.path(key);
    try {
      if (!(await stat(path)).isFile()) throw archiveObjectNotFound(key);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw archiveObjectNotFound(key);
      throw error;
    }
    return createReadStream(path);
  }

  async list(prefix: string): Promise<ArchiveObject[]> {
    // Walk only the deepest folder the prefix names whole; keys are then filtered by the prefix.
    const cut = prefix.lastIndexOf('/');
    const base = cut < 0 ? '' : prefix.slice(0, cut);
    if (base) checkArchiveKey(base);
    const found: ArchiveObject[] = [];
    await this.walk(base, found);
    return found.filter((o) => o.key.startsWith(prefix)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  private async walk(relative: string, found: ArchiveObject[]): Promise<void> {
    let entries;
    try {
      entries = await readdir(relative ? join(this.root, relative) : this.root, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const key = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await this.walk(key, found);
      else if (entry.isFile()) {
        const s = await stat(join(this.root, key)).catch(() => null);
        if (s) found.push({ key, size: s.size, modifiedAt: s.mtime.toISOString() });
      }
    }
  }

  /** The file of a key, checked twice: by the key's grammar, and by the resolved path staying under the root. */
  private path(key: string): string {
    const path = resolve(this.root, ...checkArchiveKey(key).split('/'));
    if (!path.startsWith(this.root + sep)) throw archiveObjectNotFound(key);
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
