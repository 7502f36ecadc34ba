import { Body, Controller, Get, Patch } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { parseInput } from '../../common/http/parse-input';
import { Ctx, RequestContext } from '../../common/http/request-context';
import { Settings, settingsPatchSchema } from '../../domain/settings';
import { GlobeReadModel } from '../../projections/globe-read-model';
import { ChangeSettings } from './settings.commands';

@Controller('api/settings')
export class SettingsController {
  constructor(private readonly commands: CommandBus, private readonly readModel: GlobeReadModel) {}

  /** The whole document: stored values over the defaults. */
  @Get()
  get(): Promise<Settings> {
    return this.readModel.settings();
  }

  @Patch()
  async patch(@Body() body: unknown, @Ctx() ctx: RequestContext): Promise<Settings> {
    await this.commands.execute(new ChangeSettings(parseInput(settingsPatchSchema, body, 'SETTINGS.INVALID_INPUT'), ctx));
    return this.readModel.settings();
  }
}
