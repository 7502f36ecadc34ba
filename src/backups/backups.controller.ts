import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { AppConfig } from '../config/app-config';
import { stageUpload } from '../imports/staged-upload';
import { BackupHealth, BackupHealthService } from './reading/backup-health';
import { BackupUpload } from './writing/backup-upload';
import { BackupDrill } from './reading/backup-drill';
import { parseInput } from '../common/http/parse-input';
import { Ctx, RequestContext } from '../common/http/request-context';
import { createBackupBody, listBackupsQuery, verifyBackupBody } from './backup.dto';
import { BackupService } from './catalog/backup.service';
import { BackupView } from './catalog/backup-view';
import { RateLimited } from '../auth/rate-limit.guard';
import { Role } from '../auth/roles';
import { ApiFileAnswer, ApiFileBody, ApiJsonBody, ApiPassphraseHeader, ApiQueryOf } from '../common/http/api-input';
import { ApiAnswer, ApiPageAnswer } from '../common/http/api-answer';
import { backupAnswer, BackupStarted, backupStartedAnswer } from './backup.answers';

@Controller('api/backups')
export class BackupsController {
  constructor(
    private readonly backups: BackupService,
    private readonly uploads: BackupUpload,
    private readonly health_: BackupHealthService,
    private readonly drills: BackupDrill,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** "Back up now": 202 {jobId, backupId}; the job writes, verifies and stores the file. */
  @Post()
  @Role('admin')
  @ApiJsonBody('CreateBackupBody', createBackupBody)
  @RateLimited('heavy')
  @HttpCode(202)
  @ApiAnswer('BackupStarted', backupStartedAnswer, 202)
  create(@Body() body: unknown, @Ctx() ctx: RequestContext): Promise<BackupStarted> {
    const input = parseInput(createBackupBody, body ?? {}, 'BACKUP.INVALID_INPUT');
    return this.backups.start({ kind: 'manual', ...input, actor: ctx.actor });
  }

  /** The backup history, newest first. */
  @Get()
  @Role('viewer')
  @ApiQueryOf(listBackupsQuery)
  @ApiPageAnswer('Backup', backupAnswer)
  async list(@Query() query: unknown): Promise<{ items: BackupView[]; next: null }> {
    const { refresh } = parseInput(listBackupsQuery, query ?? {}, 'BACKUP.INVALID_INPUT');
    if (refresh === 'true') await this.backups.refresh();
    return { items: await this.backups.list(), next: null };
  }

  /** "Last verified restorable at …", and warnings when the newest verified backup is older than promised. */
  @Get('health')
  @Role('viewer')
  health(): Promise<BackupHealth> {
    return this.health_.health();
  }

  /**
   * A backup file from the user's disk (streamed; any supported format, recognised by content),
   * verified in full before it is accepted, then listed with kind `uploaded`.
   */
  @Post('upload')
  @Role('admin')
  @ApiFileBody('a backup file (native .gvbk, or a foreign format recognised by its content)', 'application/octet-stream')
  @ApiPassphraseHeader()
  @RateLimited('heavy')
  @HttpCode(201)
  async upload(
    @Req() req: Request,
    @Ctx() ctx: RequestContext,
    @Headers('x-backup-passphrase') passphrase?: string,
    @Headers('x-file-name') fileNameHeader?: string,
  ): Promise<BackupView> {
    const path = join(this.backups.tmpDir(), `upload-${uuidv7()}`);
    const staged = await stageUpload(req, path, this.config.values.MAX_UPLOAD_BYTES);
    try {
      return await this.uploads.accept(path, ctx.actor, passphrase || undefined, staged.fileName ?? fileNameHeader);
    } finally {
      await rm(path, { force: true });
    }
  }

  @Get(':id')
  @Role('viewer')
  @ApiAnswer('Backup', backupAnswer)
  get(@Param('id') id: string): Promise<BackupView> {
    return this.backups.get(id);
  }

  /** The file itself, streamed. */
  @Get(':id/download')
  @Role('viewer')
  @ApiFileAnswer('application/octet-stream')
  async download(@Param('id') id: string, @Res() res: Response): Promise<void> {
    const { backup, body } = await this.backups.open(id);
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Content-Length', String(backup.size));
    res.setHeader('Content-Disposition', `attachment; filename="${backup.key}"`);
    body.on('error', () => res.destroy());
    body.pipe(res);
  }

  /** A restore drill now: the backup restored into a scratch database and checked against its manifest. */
  @Post(':id/drill')
  @Role('admin')
  @RateLimited('heavy')
  @HttpCode(200)
  drill(@Param('id') id: string) {
    return this.drills.drill(id);
  }

  @Delete(':id')
  @Role('admin')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    await this.backups.remove(id);
  }

  /** Reads the whole file and checks every checksum and record; a passphrase lets it check an encrypted backup's content too. */
  @Post(':id/verify')
  @Role('admin')
  @ApiPassphraseHeader()
  @ApiJsonBody('VerifyBackupBody', verifyBackupBody)
  @RateLimited('heavy')
  @HttpCode(200)
  verify(@Param('id') id: string, @Body() body: unknown, @Headers('x-backup-passphrase') header?: string) {
    const { passphrase } = parseInput(verifyBackupBody, body ?? {}, 'BACKUP.INVALID_INPUT');
    return this.backups.verify(id, passphrase ?? header);
  }
}
