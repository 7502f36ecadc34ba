import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { RequestContext, metadataFor } from '../../common/http/request-context';
import { GlobeReadModel } from '../../projections/globe-read-model';
import { CommandRunner } from '../command-runner';
import { configurationStream } from '../../domain/streams';
import { SaveConfigurationBody } from './configuration.dto';

export class SaveConfiguration {
  constructor(readonly id: string, readonly body: SaveConfigurationBody, readonly ctx: RequestContext) {}
}
export class DeleteConfiguration {
  constructor(readonly id: string, readonly ctx: RequestContext) {}
}

/** PUT semantics: creates the configuration or replaces it whole (keeping its creation time). */
@CommandHandler(SaveConfiguration)
export class SaveConfigurationHandler implements ICommandHandler<SaveConfiguration, void> {
  constructor(private readonly runner: CommandRunner, private readonly readModel: GlobeReadModel) {}
  async execute({ id, body, ctx }: SaveConfiguration): Promise<void> {
    await this.runner.run({
      stream: configurationStream(id),
      load: () => this.readModel.partialState({ configurationIds: [id] }),
      command: () => ({ type: 'SaveConfiguration', now: this.runner.now(), data: { id, ...body } }),
      metadata: metadataFor(ctx),
    });
  }
}

@CommandHandler(DeleteConfiguration)
export class DeleteConfigurationHandler implements ICommandHandler<DeleteConfiguration, void> {
  constructor(private readonly runner: CommandRunner, private readonly readModel: GlobeReadModel) {}
  async execute({ id, ctx }: DeleteConfiguration): Promise<void> {
    await this.runner.run({
      stream: configurationStream(id),
      load: () => this.readModel.partialState({ configurationIds: [id] }),
      command: () => ({ type: 'DeleteConfiguration', now: this.runner.now(), data: { id } }),
      metadata: metadataFor(ctx),
    });
  }
}
