import { Readable } from 'node:stream';
import { ArchiveEncryption } from '../../src/archive/archive-encryption';
import { ArchiveObject } from '../../src/archive/archive-object-store';
import { StorageArchiveStore } from '../../src/archive/storage-archive-store';
import { LocalBackupStorage } from '../../src/backups/storage/local-backup-storage';

/** Test doubles of the archive's ports. The real folder store, counting requests and failing every one while `down`. */
export class FlakyFolderStore extends StorageArchiveStore {
  constructor(dir: string) {
    super(new LocalBackupStorage(dir));
  }
  requests = 0;
  down = false;
  private check() {
    this.requests += 1;
    if (this.down) throw Object.assign(new Error('store unreachable'), { code: 'ECONNREFUSED' });
  }
  override async put(key: string, body: Buffer | Readable): Promise<ArchiveObject> {
    this.check();
    return super.put(key, body);
  }
  override async get(key: string) {
    this.check();
    return super.get(key);
  }
  override async list(prefix: string) {
    this.check();
    return super.list(prefix);
  }
}

export class BrokenEncryption extends ArchiveEncryption {
  describe() {
    return 'aes-256-gcm (key file)';
  }
  async sealFor(): Promise<never> {
    throw new Error('the key file is unreadable');
  }
  async open(): Promise<never> {
    throw new Error('unused');
  }
}
