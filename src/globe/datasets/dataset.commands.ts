import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { v7 as uuidv7 } from 'uuid';
import { RequestContext, metadataFor } from '../../common/http/request-context';
import { GlobeReadModel } from '../../projections/globe-read-model';
import { CommandRunner } from '../command-runner';
import { datasetStream } from '../../domain/streams';
import { CreateDatasetBody, UpdateDatasetBody } from './dataset.dto';

export class CreateDataset {
  constructor(readonly body: CreateDatasetBody, readonly ctx: RequestContext) {}
}
export class UpdateDataset {
  constructor(readonly id: string, readonly changes: UpdateDatasetBody, readonly ctx: RequestContext) {}
}
export class DeleteDataset {
  constructor(readonly id: string, readonly ctx: RequestContext) {}
}

/** Each handler: load what the command touches, decide, append. The controller then reads the result. */
@CommandHandler(CreateDataset)
export class CreateDatasetHandler implements ICommandHandler<CreateDataset, string> {
  constructor(private readonly runner: CommandRunner, private readonly readModel: GlobeReadModel) {}
  async execute({ body, ctx }: CreateDataset): Promise<string> {
    const id = uuidv7();
    await this.runner.run({
      stream: datasetStream(id),
      load: () => this.readModel.partialState({}),
      command: () => ({ type: 'CreateDataset', now: this.runner.now(), data: { id, ...body } }),
      metadata: metadataFor(ctx),
    });
    return id;
  }
}

@CommandHandler(UpdateDataset)
export class UpdateDatasetHandler implements ICommandHandler<UpdateDataset, void> {
  constructor(private readonly runner: CommandRunner, private readonly readModel: GlobeReadModel) {}
  async execute({ id, changes, ctx }: UpdateDataset): Promise<void> {
    await this.runner.run({
      stream: datasetStream(id),
      load: () => this.readModel.partialState({ datasetIds: [id] }),
      command: () => ({ type: 'UpdateDataset', now: this.runner.now(), data: { id, changes } }),
      metadata: metadataFor(ctx),
    });
  }
}

@CommandHandler(DeleteDataset)
export class DeleteDatasetHandler implements ICommandHandler<DeleteDataset, void> {
  constructor(private readonly runner: CommandRunner, private readonly readModel: GlobeReadModel) {}
  async execute({ id, ctx }: DeleteDataset): Promise<void> {
    await this.runner.run({
      stream: datasetStream(id),
      load: () => this.readModel.partialState({ datasetIds: [id] }),
      command: () => ({ type: 'DeleteDataset', now: this.runner.now(), data: { id } }),
      metadata: metadataFor(ctx),
    });
  }
}
