import { Body, Controller, Get, Patch, Query } from '@nestjs/common';
import { z } from 'zod';
import { CommandBus } from '@nestjs/cqrs';
import { parseInput } from '../../common/http/parse-input';
import { Ctx, RequestContext } from '../../common/http/request-context';
import { Settings, settingsChangeSchema } from '../../domain/settings';
import { GlobeReadModel, readSettings } from '../../projections/globe-read-model';
import { TimeTravel, atQuery } from '../../recovery/time-travel';
import { ChangeSettings } from './settings.commands';
import { Role } from '../../auth/roles';
import { ApiJsonBody, ApiQueryOf } from '../../common/http/api-input';

const settingsQuery = z
  .object({ at: atQuery, backupId: z.string().min(1).max(200).optional() })
  .strict()
  .refine((q) => !(q.at && q.backupId), { message: 'give at or backupId, not both' });

@Controller('api/settings')
export class SettingsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly readModel: GlobeReadModel,
    private readonly timeTravel: TimeTravel,
  ) {}

  /** The whole document: stored values over the defaults (as of `?at=`, or as backup `?backupId=` holds them). */
  @Get()
  @Role('viewer')
  @ApiQueryOf(z.object({ at: atQuery }).strict())
  get(@Query() query: unknown): Promise<Settings> {
    const { at, backupId } = parseInput(settingsQuery, query, 'QUERY.INVALID');
    return this.timeTravel.read({ at, backupId }, readSettings);
  }

  @Patch()
  @Role('admin')
  @ApiJsonBody('SettingsChange', settingsChangeSchema)
  async patch(@Body() body: unknown, @Ctx() ctx: RequestContext): Promise<Settings> {
    await this.commands.execute(new ChangeSettings(parseInput(settingsChangeSchema, body, 'SETTINGS.INVALID_INPUT'), ctx));
    return this.readModel.settings();
  }
}
