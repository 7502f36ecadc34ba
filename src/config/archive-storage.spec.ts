import { archiveStorageOf, loadConfig } from './app-config';

const archiveOf = (env: Record<string, string>) => archiveStorageOf(loadConfig({ DATA_DIR: '/tmp/gv-archive-config', ...env }).values);

describe('the archive storage', () => {
  it('defaults to the first remote backup storage, never a local folder', () => {
    expect(archiveOf({})).toBeNull();
    expect(archiveOf({ BACKUP_STORAGE: 'file:/srv/backups' })).toBeNull();
    expect(archiveOf({ BACKUP_STORAGE: 'file:/srv/backups,s3://bucket/gv,rclone:gdrive:gv' })).toMatchObject({ kind: 's3', bucket: 'bucket', prefix: 'gv' });
  });

  it('is ARCHIVE_STORAGE when set, and off when it says off', () => {
    expect(archiveOf({ BACKUP_STORAGE: 's3://bucket/gv', ARCHIVE_STORAGE: 'rclone:gdrive:log' })).toMatchObject({ kind: 'rclone', remote: 'gdrive', path: 'log' });
    expect(archiveOf({ BACKUP_STORAGE: 's3://bucket/gv', ARCHIVE_STORAGE: 'off' })).toBeNull();
    expect(() => archiveOf({ ARCHIVE_STORAGE: 'ftp://nowhere' })).toThrow(/ARCHIVE_STORAGE: .*not a storage URL.*or "off"/);
  });

  it('is the followed archive for a follower (ARCHIVE_FOLLOW), which may name no other archive storage', () => {
    expect(archiveOf({ BACKUP_STORAGE: 's3://bucket/gv', ARCHIVE_FOLLOW: 's3://bucket/log' })).toMatchObject({ kind: 's3', prefix: 'log' });
    expect(archiveOf({ ARCHIVE_FOLLOW: 's3://bucket/log', ARCHIVE_STORAGE: 's3://bucket/log' })).toMatchObject({ kind: 's3', prefix: 'log' });
    expect(() => archiveOf({ ARCHIVE_FOLLOW: 's3://bucket/log', ARCHIVE_STORAGE: 's3://bucket/other' })).toThrow(/ARCHIVE_STORAGE: a follower archives where it follows/);
    expect(() => archiveOf({ ARCHIVE_FOLLOW: 's3://bucket/log', ARCHIVE_STORAGE: 'off' })).toThrow(/ARCHIVE_STORAGE: a follower archives where it follows/);
    expect(() => archiveOf({ ARCHIVE_FOLLOW: 'off' })).toThrow(/ARCHIVE_FOLLOW: .*not a storage URL/);
  });
});
