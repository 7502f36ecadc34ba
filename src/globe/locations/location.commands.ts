import { Injectable } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { v7 as uuidv7 } from 'uuid';
import { RequestContext, metadataFor } from '../../common/http/request-context';
import { locationNotFound } from '../../domain/domain-errors';
import { GlobeReadModel } from '../../projections/globe-read-model';
import { CommandRunner } from '../command-runner';
import { datasetStream } from '../../domain/streams';
import { AddLocationBody, UpdateLocationBody } from './location.dto';

export class AddLocation {
  constructor(readonly datasetId: string, readonly body: AddLocationBody, readonly ctx: RequestContext) {}
}
export class UpdateLocation {
  constructor(readonly id: string, readonly changes: UpdateLocationBody, readonly ctx: RequestContext) {}
}
export class RemoveLocation {
  constructor(readonly id: string, readonly ctx: RequestContext) {}
}

@CommandHandler(AddLocation)
export class AddLocationHandler implements ICommandHandler<AddLocation, string> {
  constructor(private readonly runner: CommandRunner, private readonly readModel: GlobeReadModel) {}
  async execute({ datasetId, body, ctx }: AddLocation): Promise<string> {
    const id = body.id ?? uuidv7();
    await this.runner.run({
      stream: datasetStream(datasetId),
      load: () => this.readModel.partialState({ datasetIds: [datasetId], locationIds: [id] }),
      command: () => ({ type: 'AddLocation', now: this.runner.now(), data: { datasetId, location: { ...body, id } } }),
      metadata: metadataFor(ctx),
    });
    return id;
  }
}

/** Location commands go to the stream of the dataset that holds the location. */
@Injectable()
abstract class ExistingLocationHandler {
  constructor(protected readonly runner: CommandRunner, protected readonly readModel: GlobeReadModel) {}
  protected async streamOf(id: string): Promise<string> {
    const location = (await this.readModel.partialState({ locationIds: [id] })).locations.get(id);
    if (!location) throw locationNotFound(id);
    return datasetStream(location.datasetId);
  }
}

@CommandHandler(UpdateLocation)
export class UpdateLocationHandler extends ExistingLocationHandler implements ICommandHandler<UpdateLocation, void> {
  async execute({ id, changes, ctx }: UpdateLocation): Promise<void> {
    await this.runner.run({
      stream: await this.streamOf(id),
      load: () => this.readModel.partialState({ locationIds: [id] }),
      command: () => ({ type: 'UpdateLocation', now: this.runner.now(), data: { id, changes } }),
      metadata: metadataFor(ctx),
    });
  }
}

@CommandHandler(RemoveLocation)
export class RemoveLocationHandler extends ExistingLocationHandler implements ICommandHandler<RemoveLocation, void> {
  async execute({ id, ctx }: RemoveLocation): Promise<void> {
    await this.runner.run({
      stream: await this.streamOf(id),
      load: () => this.readModel.partialState({ locationIds: [id] }),
      command: () => ({ type: 'RemoveLocation', now: this.runner.now(), data: { id } }),
      metadata: metadataFor(ctx),
    });
  }
}
