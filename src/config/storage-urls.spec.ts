import { RcloneBackupStorage } from '../backups/storage/rclone-backup-storage';
import { loadConfig } from './app-config';

describe('BACKUP_STORAGE', () => {
  const parse = (BACKUP_STORAGE: string) => loadConfig({ BACKUP_STORAGE }).values.BACKUP_STORAGE;

  it('is a comma-separated list of file:, s3:// and rclone: URLs, the first the primary', () => {
    expect(parse('file:/data/backups, s3://my-bucket/globe/vault/ ,rclone:gdrive:globe-vault')).toEqual([
      { kind: 'file', url: 'file:/data/backups', dir: '/data/backups' },
      { kind: 's3', url: 's3://my-bucket/globe/vault/', bucket: 'my-bucket', prefix: 'globe/vault' },
      { kind: 'rclone', url: 'rclone:gdrive:globe-vault', remote: 'gdrive', path: 'globe-vault' },
    ]);
    expect(parse('s3://bucket')).toEqual([{ kind: 's3', url: 's3://bucket', bucket: 'bucket', prefix: '' }]);
    expect(parse('rclone::local:/tmp/x')).toEqual([{ kind: 'rclone', url: 'rclone::local:/tmp/x', remote: ':local', path: '/tmp/x' }]);
  });

  it('refuses a bad URL at start-up with a message naming the variable and what was expected', () => {
    const cases: [string, RegExp][] = [
      ['ftp://host/x', /BACKUP_STORAGE: "ftp:\/\/host\/x" is not a storage URL: expected file:<dir>, s3:\/\/<bucket>\/<prefix> or rclone:<remote>:<path>/],
      ['s3://No_Such/x', /"No_Such" is not an S3 bucket name/],
      ['s3://bucket/../x', /the prefix segment "\.\." may hold only/],
      ['rclone:gdrive', /expected rclone:<remote>:<path>/],
      ['file:', /file: needs a directory/],
      ['file:/a,file:/a', /a storage is listed twice/],
      [',', /expected file:<dir>/],
    ];
    for (const [value, message] of cases) expect(() => parse(value)).toThrow(message);
    expect(() => loadConfig({ S3_FORCE_PATH_STYLE: 'yes' })).toThrow(/S3_FORCE_PATH_STYLE/);
  });

  it('an rclone storage without the rclone binary stops the start-up with a clear message', () => {
    expect(() => RcloneBackupStorage.checkBinary('/nonexistent/rclone')).toThrow(/could not be run .*apt-get install rclone/);
  });
});
