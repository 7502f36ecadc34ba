import { Injectable } from '@nestjs/common';
import { open } from 'node:fs/promises';
import { v7 as uuidv7 } from 'uuid';
import { unsupportedUpload } from './backup-errors';
import { BackupService } from './backup.service';
import { BackupView } from './backup-view';
import { BACKUP_MAGIC } from './format/backup-manifest';

/**
 * An uploaded backup file becomes a backup like any other (kind `uploaded`), after it verified in
 * full: recognised by its content, never by its name or content type.
 */
@Injectable()
export class BackupUpload {
  constructor(private readonly backups: BackupService) {}

  async accept(path: string, actor: string, passphrase?: string): Promise<BackupView> {
    if (await startsWithMagic(path)) return this.backups.admit(path, { id: uuidv7(), kind: 'uploaded', format: 'native', actor, passphrase }, true);
    throw unsupportedUpload();
  }
}

async function startsWithMagic(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const magic = Buffer.from(`${BACKUP_MAGIC}\n`);
    const head = Buffer.alloc(magic.length);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return bytesRead === head.length && head.equals(magic);
  } finally {
    await handle.close();
  }
}
