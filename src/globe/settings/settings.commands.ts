import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { RequestContext, metadataFor } from '../../common/http/request-context';
import { SettingsPatch } from '../../domain/settings';
import { GlobeReadModel } from '../../projections/globe-read-model';
import { CommandRunner } from '../command-runner';
import { SETTINGS_STREAM } from '../../domain/streams';

export class ChangeSettings {
  constructor(readonly patch: SettingsPatch, readonly ctx: RequestContext) {}
}

/** A patch that changes nothing (every key already has that value) records no event. */
@CommandHandler(ChangeSettings)
export class ChangeSettingsHandler implements ICommandHandler<ChangeSettings, void> {
  constructor(private readonly runner: CommandRunner, private readonly readModel: GlobeReadModel) {}
  async execute({ patch, ctx }: ChangeSettings): Promise<void> {
    await this.runner.run({
      stream: SETTINGS_STREAM,
      load: () => this.readModel.partialState({}),
      command: () => ({ type: 'ChangeSettings', now: this.runner.now(), data: { patch } }),
      metadata: metadataFor(ctx),
    });
  }
}
