import { Body, Controller, Get, Put } from '@nestjs/common';
import { parseInput } from '../common/http/parse-input';
import { Ctx, RequestContext } from '../common/http/request-context';
import { BackupSchedules, backupSchedulesSchema } from '../domain/backup-schedule';
import { BackupScheduler } from './writing/backup-scheduler';
import { Role } from '../auth/roles';
import { ApiJsonBody } from '../common/http/api-input';

@Controller('api/backup-schedules')
export class BackupSchedulesController {
  constructor(private readonly scheduler: BackupScheduler) {}

  /** The automatic backups (daily, weekly or cron; time zone; encryption), their retention and the restore drills. */
  @Get()
  @Role('viewer')
  get(): Promise<BackupSchedules> {
    return this.scheduler.current();
  }

  /** Replaces the whole document; takes effect at once and is recorded in the audit trail. */
  @Put()
  @Role('admin')
  @ApiJsonBody('BackupSchedules', backupSchedulesSchema)
  put(@Body() body: unknown, @Ctx() ctx: RequestContext): Promise<BackupSchedules> {
    const doc = parseInput(backupSchedulesSchema, body, 'BACKUP.INVALID_SCHEDULE');
    return this.scheduler.replace(doc, { actor: ctx.actor, source: ctx.source, correlationId: ctx.correlationId, causationId: null });
  }
}
