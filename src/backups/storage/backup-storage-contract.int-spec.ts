import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer, text } from 'node:stream/consumers';
import { startS3Server, TestS3Server, S3RVER_CREDENTIALS } from '../../../test/support/s3-server';
import { tempDir } from '../../../test/support/event-fixtures';
import { BackupStorage } from './backup-storage';
import { LocalBackupStorage } from './local-backup-storage';
import { RcloneBackupStorage } from './rclone-backup-storage';
import { S3BackupStorage } from './s3-backup-storage';

const hasRclone = spawnSync('rclone', ['version']).status === 0;
if (!hasRclone) console.warn('rclone is not installed: the rclone storage contract is skipped (apt-get install rclone)');

const s3Settings = (s3: TestS3Server, prefix = 'backups/here') => ({
  bucket: s3.bucket,
  prefix,
  endpoint: s3.endpoint,
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: { accessKeyId: S3RVER_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: S3RVER_CREDENTIALS.AWS_SECRET_ACCESS_KEY },
  retryDelayMs: 10,
});

/** Stream that yields some bytes, then fails: a body that breaks mid-upload. */
const failingBody = (bytes: number) =>
  new Readable({
    read() {
      this.push(randomBytes(bytes));
      this.destroy(new Error('source broke'));
    },
  });

interface Driver {
  name: string;
  enabled: boolean;
  open(): Promise<{ storage: BackupStorage; close(): Promise<void> }>;
}

const drivers: Driver[] = [
  {
    name: 'file:',
    enabled: true,
    async open() {
      const dir = tempDir();
      return { storage: new LocalBackupStorage(join(dir.dir, 'store')), close: async () => dir.cleanup() };
    },
  },
  {
    name: 's3://',
    enabled: true,
    async open() {
      const s3 = await startS3Server();
      const storage = new S3BackupStorage(s3Settings(s3));
      return { storage, close: async () => (storage.destroy(), await s3.close()) };
    },
  },
  {
    name: 'rclone: (a :local: remote)',
    enabled: hasRclone,
    async open() {
      const dir = tempDir();
      return { storage: new RcloneBackupStorage(':local', join(dir.dir, 'remote')), close: async () => dir.cleanup() };
    },
  },
];

describe.each(drivers)('BackupStorage contract: $name', (driver) => {
  const maybe = driver.enabled ? it : it.skip;
  let opened: Awaited<ReturnType<Driver['open']>>;
  beforeEach(async () => {
    if (driver.enabled) opened = await driver.open();
  });
  afterEach(async () => {
    if (driver.enabled) await opened.close();
  });

  maybe('puts, stats, gets, lists (sorted, at any depth, by prefix) and deletes objects', async () => {
    const { storage } = opened;
    expect(await storage.list()).toEqual([]);
    const put = await storage.put('a.gvbk', Readable.from([Buffer.from('hello '), Buffer.from('world')]));
    expect(put).toMatchObject({ key: 'a.gvbk', size: 11 });
    expect(await storage.stat('a.gvbk')).toMatchObject({ key: 'a.gvbk', size: 11 });
    expect(await text(await storage.get('a.gvbk'))).toBe('hello world');
    await storage.put('archive/00000001/00000000000000000421-00000000000000000500.gvseg', () => Readable.from([Buffer.from('2')]));
    await storage.put('archive/00000001/00000000000000000001-00000000000000000420.gvseg', () => Readable.from([Buffer.from('1')]));
    await storage.put('archive/00000002/00000000000000000501-00000000000000000600.gvseg', () => Readable.from([Buffer.from('3')]));
    expect((await storage.list()).map((o) => o.key)).toEqual([
      'a.gvbk',
      'archive/00000001/00000000000000000001-00000000000000000420.gvseg',
      'archive/00000001/00000000000000000421-00000000000000000500.gvseg',
      'archive/00000002/00000000000000000501-00000000000000000600.gvseg',
    ]);
    expect((await storage.list('archive/00000001/')).map((o) => o.key)).toEqual([
      'archive/00000001/00000000000000000001-00000000000000000420.gvseg',
      'archive/00000001/00000000000000000421-00000000000000000500.gvseg',
    ]);
    expect((await storage.list('archive/0000000')).length).toBe(3);
    expect(await storage.list('nothing/here/')).toEqual([]);
    expect(await text(await storage.get('archive/00000002/00000000000000000501-00000000000000000600.gvseg'))).toBe('3');
    await storage.delete('a.gvbk');
    await storage.delete('a.gvbk');
    expect(await storage.stat('a.gvbk')).toBeNull();
    await expect(storage.get('a.gvbk')).rejects.toMatchObject({ code: 'BACKUP.NOT_FOUND', status: 404 });
  });

  maybe('refuses keys that could escape the storage', async () => {
    for (const key of ['../x', '..', '.hidden', 'a//b', '/a', 'a/', 'a/../b', 'a/.partial-x', 'a\\b', '']) {
      await expect(opened.storage.put(key, Readable.from(['x']))).rejects.toMatchObject({ code: 'BACKUP.INVALID_KEY' });
      await expect(opened.storage.get(key)).rejects.toMatchObject({ code: 'BACKUP.INVALID_KEY' });
    }
    await expect(opened.storage.list('../')).rejects.toMatchObject({ code: 'BACKUP.INVALID_KEY' });
  });

  maybe('leaves nothing under the key, nor in the listing, when the body fails mid-upload', async () => {
    await expect(opened.storage.put('b.gvbk', failingBody(64 * 1024))).rejects.toThrow();
    expect(await opened.storage.stat('b.gvbk')).toBeNull();
    expect(await opened.storage.list()).toEqual([]);
  });

  maybe('streams a 20 MiB object through and back, byte for byte', async () => {
    const bytes = randomBytes(20 * 1024 * 1024 + 123);
    const chunks = Array.from({ length: Math.ceil(bytes.length / 65536) }, (_, i) => bytes.subarray(i * 65536, (i + 1) * 65536));
    const put = await opened.storage.put('big.gvbk', () => Readable.from(chunks));
    expect(put.size).toBe(bytes.length);
    expect((await buffer(await opened.storage.get('big.gvbk'))).equals(bytes)).toBe(true);
  });
});
