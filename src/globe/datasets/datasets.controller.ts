import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { parseInput } from '../../common/http/parse-input';
import { Ctx, RequestContext } from '../../common/http/request-context';
import { CreateDataset, DeleteDataset, UpdateDataset } from './dataset.commands';
import { createDatasetBody, listDatasetsQuery, updateDatasetBody } from './dataset.dto';
import { DatasetView, GetDataset, ListDatasets } from './dataset.queries';
import { Role } from '../../auth/roles';
import { ApiJsonBody, ApiQueryOf } from '../../common/http/api-input';
import { ApiAnswer, ApiPageAnswer } from '../../common/http/api-answer';
import { datasetAnswer } from './dataset.answers';

@Controller('api/datasets')
export class DatasetsController {
  constructor(private readonly commands: CommandBus, private readonly queries: QueryBus) {}

  @Post()
  @Role('editor')
  @ApiJsonBody('CreateDatasetBody', createDatasetBody)
  @ApiAnswer('Dataset', datasetAnswer, 201)
  async create(@Body() body: unknown, @Ctx() ctx: RequestContext): Promise<DatasetView> {
    const input = parseInput(createDatasetBody, body, 'DATASET.INVALID_INPUT');
    const id: string = await this.commands.execute(new CreateDataset(input, ctx));
    return this.queries.execute(new GetDataset(id));
  }

  @Get()
  @Role('viewer')
  @ApiQueryOf(listDatasetsQuery)
  @ApiPageAnswer('Dataset', datasetAnswer)
  list(@Query() query: unknown): Promise<{ items: DatasetView[]; next: null }> {
    const { at, backupId } = parseInput(listDatasetsQuery, query, 'QUERY.INVALID');
    return this.queries.execute(new ListDatasets(at, backupId));
  }

  @Get(':id')
  @Role('viewer')
  @ApiAnswer('Dataset', datasetAnswer)
  get(@Param('id') id: string): Promise<DatasetView> {
    return this.queries.execute(new GetDataset(id));
  }

  @Patch(':id')
  @Role('editor')
  @ApiJsonBody('UpdateDatasetBody', updateDatasetBody)
  @ApiAnswer('Dataset', datasetAnswer)
  async update(@Param('id') id: string, @Body() body: unknown, @Ctx() ctx: RequestContext): Promise<DatasetView> {
    const changes = parseInput(updateDatasetBody, body, 'DATASET.INVALID_INPUT');
    await this.commands.execute(new UpdateDataset(id, changes, ctx));
    return this.queries.execute(new GetDataset(id));
  }

  @Delete(':id')
  @Role('editor')
  @HttpCode(204)
  async remove(@Param('id') id: string, @Ctx() ctx: RequestContext): Promise<void> {
    await this.commands.execute(new DeleteDataset(id, ctx));
  }
}
