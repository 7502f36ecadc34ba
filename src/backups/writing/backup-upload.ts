import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { v7 as uuidv7 } from 'uuid';
import { Clock } from '../../common/clock';
import { NativeMemory } from '../../common/native-memory';
import { TargetStates } from '../../projections/target-states';
import { APP_VERSION } from '../app-version';
import { unsupportedUpload } from '../backup-errors';
import { BackupService } from '../catalog/backup.service';
import { BackupAdmission } from './backup-admission';
import { BackupView } from '../catalog/backup-view';
import { BackupFormat, detectBackupFormat } from '../foreign/detect-backup-format';
import { ForeignImportInfo } from '../foreign/foreign-import-info';
import { readBackupData } from '../foreign/read-backup-data';
import { readGlobeProject } from '../foreign/read-globe-project';
import { BackupRecord } from '../format/backup-record';
import { writeBackupFile } from '../format/write-backup-file';
import { backupLines } from './backup-lines';

/**
 * An uploaded file becomes a backup like any other (kind `uploaded`) after it verified in full,
 * recognised by its content, never by its name or type. The Globe app's "Save Project" file and the
 * BackupData JSON are turned into a native backup first: loaded into a scratch state (which puts
 * their records in order), written natively, then verified and stored; the row keeps their format.
 */
@Injectable()
export class BackupUpload {
  constructor(
    private readonly backups: BackupService,
    private readonly admission: BackupAdmission,
    private readonly clock: Clock,
    private readonly targetStates: TargetStates,
  ) {}

  async accept(path: string, actor: string, passphrase?: string, fileName?: string): Promise<BackupView> {
    try {
      return await this.acceptAs(path, actor, passphrase, fileName);
    } finally {
      // Verifying and preparing a file is bulk work: see NativeMemory.
      NativeMemory.releaseSoon();
    }
  }

  private async acceptAs(path: string, actor: string, passphrase?: string, fileName?: string): Promise<BackupView> {
    const format = await detectBackupFormat(path);
    if (format === null) throw unsupportedUpload();
    const id = uuidv7();
    if (format === 'native') return this.admission.admit(path, { id, kind: 'uploaded', format, actor, passphrase }, null);
    const native = join(this.backups.tmpDir(), `upload-native-${id}.gvbk`);
    try {
      await this.convert(path, format, native, await this.importInfo(path, fileName));
      return await this.admission.admit(native, { id, kind: 'uploaded', format, actor }, null);
    } finally {
      await rm(native, { force: true });
    }
  }

  private async convert(path: string, format: Exclude<BackupFormat, 'native'>, out: string, info: ForeignImportInfo): Promise<void> {
    const scratch = join(this.backups.tmpDir(), `state-upload-${uuidv7()}.sqlite`);
    try {
      const records: AsyncIterable<BackupRecord> = format === 'globe-project' ? readGlobeProject(path, info) : readBackupData(path, info);
      await this.targetStates.load(scratch, records, 0);
      const reader = this.targetStates.reader(scratch);
      try {
        const manifestInfo = { appVersion: APP_VERSION, createdAt: info.now, headPosition: 0, headRecordedAt: null, includesHistory: false };
        await writeBackupFile(backupLines(reader, null), manifestInfo, out, { compression: 'gzip', tmpDir: this.backups.tmpDir() });
      } finally {
        reader.close();
      }
    } finally {
      await rm(scratch, { force: true });
    }
  }

  /**
   * The dataset a foreign file's locations land in: its id comes from the file's content, so the
   * same project uploaded twice is the same dataset (a restore then shows what changed, instead of a
   * copy).
   */
  private async importInfo(path: string, fileName?: string): Promise<ForeignImportInfo> {
    const hash = createHash('sha256');
    await pipeline(createReadStream(path), hash);
    const now = new Date(this.clock.now()).toISOString();
    const name = fileName ? basename(fileName, extname(fileName)) : `Globe project ${now.slice(0, 10)}`;
    return { datasetId: `project-${hash.digest('hex').slice(0, 16)}`, datasetName: name.slice(0, 200), now };
  }
}
