import { createReadStream, createWriteStream, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { v7 as uuidv7 } from 'uuid';
import { BackupStorage, ObjectBody, StoredObject, byKey, checkKey, checkPrefix, openBody, storedObjectNotFound } from './backup-storage';

const TMP_PREFIX = '.partial-';

/**
 * Backup files in a local folder; a key's `/`-separated segments are subfolders. `put` writes
 * `.partial-<uuid>` in the root, fsyncs the file, renames it to the key and fsyncs the key's folder,
 * so the name appears only for a complete, durable file. Partial files left by a crash are removed
 * when the storage opens and never listed (nor is any name starting with a dot).
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

  async put(key: string, body: ObjectBody): Promise<StoredObject> {
    const target = this.path(key);
    const partial = join(this.root, `${TMP_PREFIX}${uuidv7()}`);
    try {
      await pipeline(openBody(body), createWriteStream(partial, { flags: 'wx' }));
      await fsync(partial);
      await mkdir(dirname(target), { recursive: true });
      await rename(partial, target);
      await fsync(dirname(target));
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
      if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return null;
      throw error;
    }
  }

  async list(prefix = ''): Promise<StoredObject[]> {
    checkPrefix(prefix);
    // Walk only the folder the prefix's whole segments name.
    const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    const keys = (await this.walk(folder)).filter((k) => k.startsWith(prefix));
    const objects = await Promise.all(keys.map((k) => this.stat(k).catch(() => null)));
    return objects.filter((o): o is StoredObject => o !== null).sort(byKey);
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  /** Keys of the files under a folder (a key prefix of whole segments), at any depth. */
  private async walk(folder: string): Promise<string[]> {
    let entries;
    try {
      entries = await readdir(folder ? this.path(folder) : this.root, { withFileTypes: true });
    } catch (error) {
      if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return [];
      throw error;
    }
    const keys: string[] = [];
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const key = folder ? `${folder}/${entry.name}` : entry.name;
      if (entry.isDirectory()) keys.push(...(await this.walk(key)));
      else if (entry.isFile()) keys.push(key);
    }
    return keys;
  }

  /** The file of a key, checked twice: by the key's grammar, and by the resolved path staying under the root. */
  private path(key: string): string {
    const path = resolve(this.root, ...checkKey(key).split('/'));
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
