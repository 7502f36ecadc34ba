import { spawn, spawnSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { v7 as uuidv7 } from 'uuid';
import { BackupStorage, ObjectBody, StoredObject, byKey, checkKey, checkPrefix, isValidKey, openBody, storedObjectNotFound } from './backup-storage';
import { storageAccessDenied, storageBucketNotFound, storageMisconfigured, storageUnavailable } from './storage-errors';

/** rclone's exit codes that mean "not there" (3: directory not found, 4: file not found). */
const NOT_FOUND_EXITS = [3, 4];
const PARTIAL_PREFIX = '.partial-';

interface LsEntry {
  Path: string;
  Size: number;
  ModTime: string;
  IsDir: boolean;
}

/**
 * Objects on an rclone remote (Google Drive, Dropbox, OneDrive, SFTP, WebDAV, …) through the
 * user's own rclone config (RCLONE_CONFIG honoured by rclone itself), by spawning Debian's
 * `rclone`. `put` is complete-or-absent on every backend: `rcat` uploads to a hidden
 * `.partial-<uuid>` name beside the key (never listed), then `moveto` renames it — a server-side
 * move where the backend has one (Drive, Dropbox, OneDrive, SFTP, WebDAV, local). rcat straight to
 * the final name would be atomic only where the backend's upload is (Drive's is; SFTP, WebDAV and
 * local rclone 1.60 write in place), and a crash would leave half an object under the key.
 */
export class RcloneBackupStorage extends BackupStorage {
  private readonly name: string;

  constructor(
    private readonly remote: string,
    private readonly path: string,
    private readonly binary = 'rclone',
  ) {
    super();
    this.name = `rclone:${remote}:${path}`;
  }

  /** Fails at start-up with a clear message when the rclone binary cannot be run. */
  static checkBinary(binary = 'rclone'): void {
    const run = spawnSync(binary, ['version'], { encoding: 'utf8', timeout: 10_000 });
    if (run.error || run.status !== 0) {
      throw new Error(
        `BACKUP_STORAGE names an rclone remote, but the \`${binary}\` command could not be run (${run.error?.message ?? run.stderr.trim()}); install it with \`apt-get install rclone\` and set up the remote with \`rclone config\``,
      );
    }
  }

  describe(): string {
    return this.name;
  }

  async put(key: string, body: ObjectBody): Promise<StoredObject> {
    checkKey(key);
    const slash = key.lastIndexOf('/');
    const partial = `${key.slice(0, slash + 1)}${PARTIAL_PREFIX}${uuidv7()}`;
    try {
      const child = this.spawn(['rcat', this.target(partial)]);
      const done = this.finished(child);
      await Promise.all([pipeline(openBody(body), child.stdin), done]);
      await this.run(['moveto', this.target(partial), this.target(key)]);
    } catch (error) {
      await this.run(['deletefile', this.target(partial)]).catch(() => undefined);
      throw error;
    }
    const stored = await this.stat(key);
    if (!stored) throw storageUnavailable(this.name, `${key} was uploaded but is not listed`);
    return stored;
  }

  async get(key: string): Promise<Readable> {
    if (!(await this.stat(key))) throw storedObjectNotFound(key);
    const child = this.spawn(['cat', this.target(key)]);
    const out = child.stdout;
    // A failure after the first bytes ends the stream with the mapped error, never a short clean end.
    this.finished(child).catch((error: Error) => out.destroy(error));
    return out;
  }

  async stat(key: string): Promise<StoredObject | null> {
    try {
      const entry = JSON.parse(await this.run(['lsjson', '--stat', this.target(checkKey(key))])) as LsEntry;
      return entry.IsDir ? null : { key, size: entry.Size, modifiedAt: new Date(entry.ModTime).toISOString() };
    } catch (error) {
      if ((error as { code?: string }).code === 'BACKUP.NOT_FOUND') return null;
      throw error;
    }
  }

  async list(prefix = ''): Promise<StoredObject[]> {
    checkPrefix(prefix);
    const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    let entries: LsEntry[];
    try {
      entries = JSON.parse(await this.run(['lsjson', '-R', '--files-only', this.target(folder)])) as LsEntry[];
    } catch (error) {
      if ((error as { code?: string }).code === 'BACKUP.NOT_FOUND') return [];
      throw error;
    }
    return entries
      .map((e) => ({ key: folder ? `${folder}/${e.Path}` : e.Path, size: e.Size, modifiedAt: new Date(e.ModTime).toISOString() }))
      .filter((o) => o.key.startsWith(prefix) && isValidKey(o.key))
      .sort(byKey);
  }

  async delete(key: string): Promise<void> {
    try {
      await this.run(['deletefile', this.target(checkKey(key))]);
    } catch (error) {
      if ((error as { code?: string }).code !== 'BACKUP.NOT_FOUND') throw error;
    }
  }

  private target(key: string): string {
    const path = [this.path, key].filter((s) => s !== '').join('/');
    return `${this.remote}:${path}`;
  }

  private spawn(args: string[]) {
    return spawn(this.binary, ['--retries', '1', '--low-level-retries', '3', '--contimeout', '10s', '--timeout', '60s', ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  }

  /** Runs rclone to its end; answers its stdout, or throws the mapped error. */
  private async run(args: string[]): Promise<string> {
    const child = this.spawn(args);
    child.stdin.end();
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    await this.finished(child);
    return Buffer.concat(chunks).toString('utf8');
  }

  /** Resolves when rclone exits 0; rejects with the mapped error otherwise. */
  private finished(child: ReturnType<typeof spawn>): Promise<void> {
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString('utf8')).slice(-4000)));
    return new Promise((resolve, reject) => {
      child.on('error', (error) => reject(storageMisconfigured(this.name, `rclone could not be run: ${error.message}`)));
      child.on('close', (code) => (code === 0 ? resolve() : reject(this.mapError(code, stderr, child.spawnargs.at(-1) ?? ''))));
    });
  }

  /** rclone's exit code and last stderr lines as one of the port's typed errors. */
  private mapError(code: number | null, stderr: string, target: string): Error {
    const reason = stderr.trim().split('\n').slice(-3).join(' | ') || `rclone exited with ${code}`;
    if (/didn't find section in config file|unknown backend/i.test(stderr)) {
      return storageMisconfigured(this.name, `the rclone remote is not configured (${reason}); run \`rclone config\` (RCLONE_CONFIG names the config file)`);
    }
    if (/\b(401|403)\b|access denied|permission denied|unauthori[sz]ed|invalid_grant|token expired/i.test(stderr)) return storageAccessDenied(this.name, reason);
    if ((code !== null && NOT_FOUND_EXITS.includes(code)) || /is a directory or doesn't exist|object not found/i.test(stderr)) return storedObjectNotFound(target.slice(this.target('').length).replace(/^\//, ''));
    if (/bucket.*(not exist|not found)|NoSuchBucket/i.test(stderr)) return storageBucketNotFound(this.name, reason);
    return storageUnavailable(this.name, reason);
  }
}
