import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { parseInput } from '../../common/http/parse-input';
import { Ctx, RequestContext } from '../../common/http/request-context';
import { Location } from '../../domain/location';
import { AddLocation, RemoveLocation, UpdateLocation } from './location.commands';
import { addLocationBody, listLocationsQuery, locationErrorCode, updateLocationBody } from './location.dto';
import { GetLocation, ListLocations } from './location.queries';
import { Role } from '../../auth/roles';
import { ApiJsonBody, ApiQueryOf } from '../../common/http/api-input';
import { ApiAnswer, ApiPageAnswer } from '../../common/http/api-answer';
import { locationAnswer } from './location.answers';

@Controller('api')
export class LocationsController {
  constructor(private readonly commands: CommandBus, private readonly queries: QueryBus) {}

  @Post('datasets/:datasetId/locations')
  @Role('editor')
  @ApiJsonBody('AddLocationBody', addLocationBody)
  @ApiAnswer('Location', locationAnswer, 201)
  async add(@Param('datasetId') datasetId: string, @Body() body: unknown, @Ctx() ctx: RequestContext): Promise<Location> {
    const input = parseInput(addLocationBody, body, locationErrorCode);
    const id: string = await this.commands.execute(new AddLocation(datasetId, input, ctx));
    return this.queries.execute(new GetLocation(id));
  }

  @Get('locations')
  @Role('viewer')
  @ApiQueryOf(listLocationsQuery)
  @ApiPageAnswer('Location', locationAnswer)
  list(@Query() query: unknown): Promise<{ items: Location[]; next: string | null }> {
    return this.queries.execute(new ListLocations(parseInput(listLocationsQuery, query, 'QUERY.INVALID')));
  }

  @Get('locations/:id')
  @Role('viewer')
  @ApiAnswer('Location', locationAnswer)
  get(@Param('id') id: string): Promise<Location> {
    return this.queries.execute(new GetLocation(id));
  }

  @Patch('locations/:id')
  @Role('editor')
  @ApiJsonBody('UpdateLocationBody', updateLocationBody)
  @ApiAnswer('Location', locationAnswer)
  async update(@Param('id') id: string, @Body() body: unknown, @Ctx() ctx: RequestContext): Promise<Location> {
    await this.commands.execute(new UpdateLocation(id, parseInput(updateLocationBody, body, locationErrorCode), ctx));
    return this.queries.execute(new GetLocation(id));
  }

  @Delete('locations/:id')
  @Role('editor')
  @HttpCode(204)
  async remove(@Param('id') id: string, @Ctx() ctx: RequestContext): Promise<void> {
    await this.commands.execute(new RemoveLocation(id, ctx));
  }
}
