import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { tempDir } from '../../../test/support/event-fixtures';
import { LocalBackupStorage } from './local-backup-storage';

describe('LocalBackupStorage', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());

  it('puts, stats, lists, gets and deletes objects', async () => {
    const storage = new LocalBackupStorage(join(dir.dir, 'backups'));
    const put = await storage.put('a.gvbk', Readable.from(['hello ', 'world']));
    expect(put).toMatchObject({ key: 'a.gvbk', size: 11 });
    expect(await storage.stat('a.gvbk')).toMatchObject({ size: 11 });
    expect((await storage.list()).map((o) => o.key)).toEqual(['a.gvbk']);
    expect(await text(await storage.get('a.gvbk'))).toBe('hello world');
    await storage.delete('a.gvbk');
    expect(await storage.stat('a.gvbk')).toBeNull();
    await expect(storage.get('a.gvbk')).rejects.toMatchObject({ code: 'BACKUP.NOT_FOUND', status: 404 });
  });

  it('never lets a key escape its folder', async () => {
    const storage = new LocalBackupStorage(join(dir.dir, 'backups'));
    for (const key of ['../x', '..', '.hidden', 'a//b', 'a/', 'a/../b', 'a/.hidden', 'a\\b', '/etc/passwd', '', 'a\0b']) {
      await expect(storage.put(key, Readable.from(['x']))).rejects.toMatchObject({ code: 'BACKUP.INVALID_KEY', status: 400 });
      await expect(storage.get(key)).rejects.toMatchObject({ code: 'BACKUP.INVALID_KEY' });
    }
    expect(readdirSync(dir.dir)).toEqual(['backups']);
  });

  it('leaves no object when the stream fails mid-way, and removes partial files left by a crash', async () => {
    const storage = new LocalBackupStorage(join(dir.dir, 'backups'));
    const failing = new Readable({
      read() {
        this.push('some bytes');
        this.destroy(new Error('disk full'));
      },
    });
    await expect(storage.put('b.gvbk', failing)).rejects.toThrow('disk full');
    expect(await storage.stat('b.gvbk')).toBeNull();
    expect(readdirSync(join(dir.dir, 'backups'))).toEqual([]);

    writeFileSync(join(dir.dir, 'backups', '.partial-crashed'), 'half a file');
    const reopened = new LocalBackupStorage(join(dir.dir, 'backups'));
    expect(existsSync(join(dir.dir, 'backups', '.partial-crashed'))).toBe(false);
    expect(await reopened.list()).toEqual([]);
  });
});
