import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { Response } from 'express';
import { parseInput } from '../common/http/parse-input';
import { Ctx, RequestContext } from '../common/http/request-context';
import { createBackupBody, verifyBackupBody } from './backup.dto';
import { BackupService } from './backup.service';
import { BackupView } from './backup-view';

@Controller('api/backups')
export class BackupsController {
  constructor(private readonly backups: BackupService) {}

  /** "Back up now": 202 {jobId, backupId}; the job writes, verifies and stores the file. */
  @Post()
  @HttpCode(202)
  create(@Body() body: unknown, @Ctx() ctx: RequestContext) {
    const input = parseInput(createBackupBody, body ?? {}, 'BACKUP.INVALID_INPUT');
    return this.backups.start({ kind: 'manual', ...input, actor: ctx.actor });
  }

  /** The backup history, newest first. */
  @Get()
  async list(): Promise<{ items: BackupView[]; next: null }> {
    return { items: await this.backups.list(), next: null };
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<BackupView> {
    return this.backups.get(id);
  }

  /** The file itself, streamed. */
  @Get(':id/download')
  async download(@Param('id') id: string, @Res() res: Response): Promise<void> {
    const { backup, body } = await this.backups.open(id);
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Content-Length', String(backup.size));
    res.setHeader('Content-Disposition', `attachment; filename="${backup.key}"`);
    body.on('error', () => res.destroy());
    body.pipe(res);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    await this.backups.remove(id);
  }

  /** Reads the whole file and checks every checksum and record; a passphrase lets it check an encrypted backup's content too. */
  @Post(':id/verify')
  @HttpCode(200)
  verify(@Param('id') id: string, @Body() body: unknown, @Headers('x-backup-passphrase') header?: string) {
    const { passphrase } = parseInput(verifyBackupBody, body ?? {}, 'BACKUP.INVALID_INPUT');
    return this.backups.verify(id, passphrase ?? header);
  }
}
