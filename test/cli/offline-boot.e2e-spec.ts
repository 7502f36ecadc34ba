import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { join } from 'node:path';
import { ArchiveService } from '../../src/archive/archive.service';
import { AppModule } from '../../src/app.module';
import { bootOffline } from '../../src/cli/commands/offline-app';
import { RunMode } from '../../src/config/run-mode';
import { WriteGate } from '../../src/events/write-gate';
import { tempDir } from '../support/event-fixtures';

/**
 * The offline restore boots the application with none of its background work (src/config/run-mode.ts):
 * the same DATA_DIR and environment that start an archiver, schedules, snapshots by count and the
 * copy queue in a server start none of them offline, and a follower's configuration does not close
 * the write gate the restore writes through. (That no epoch is claimed in a real store is proven by
 * the built CLI against S3 in cli.e2e-spec.ts.)
 */
describe('the offline restore’s application (OfflineRestoreModule)', () => {
  const saved = { ...process.env };
  const work = tempDir('gv-offline-boot-');
  const dataDir = join(work.dir, 'data');
  let app: INestApplicationContext | null = null;

  beforeEach(() => {
    process.env = { ...saved, DATA_DIR: dataDir, LOG_LEVEL: 'error', ARCHIVE_INTERVAL_MS: '50', BACKUP_STORAGE: `file:${join(dataDir, 'backups')}` };
  });

  afterEach(async () => {
    await app?.close();
    app = null;
    process.env = saved;
  });

  afterAll(() => work.cleanup());

  it('a server starts its background work; the offline restore, on the same DATA_DIR and archive, none', async () => {
    process.env.ARCHIVE_STORAGE = `file:${join(work.dir, 'archive')}`;
    app = await NestFactory.createApplicationContext(AppModule, { logger: ['error'] });
    await app.init();
    expect(app.get(RunMode).started).toEqual(expect.arrayContaining(['archiver', 'backup-schedules', 'snapshot-scheduler', 'backup-copies']));
    await app.close();

    app = await bootOffline(dataDir, null);
    expect(app.get(RunMode).name).toBe('offline-restore');
    expect(app.get(RunMode).started).toEqual([]);
    const archive = app.get(ArchiveService);
    expect(archive.archiver).toBeNull();
    // It still reads the archive: a restore from the store alone goes through its history.
    expect(archive.history).not.toBeNull();
  });

  it('a follower’s configuration neither follows nor closes the write gate offline', async () => {
    process.env.ARCHIVE_FOLLOW = `file:${join(work.dir, 'archive')}`;
    app = await bootOffline(join(work.dir, 'follower-data'), null);
    expect(app.get(ArchiveService).follower).toBeNull();
    expect(app.get(WriteGate).open).toBe(true);
    expect(app.get(RunMode).started).toEqual([]);
  });
});
