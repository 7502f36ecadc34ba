import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { parseInput } from '../../common/http/parse-input';
import { Ctx, RequestContext } from '../../common/http/request-context';
import { Configuration, configurationKindSchema } from '../../domain/configuration';
import { configurationNotFound } from '../../domain/domain-errors';
import { ConfigurationEntity } from '../../projections/entities/configuration.entity';
import { toConfiguration } from '../../projections/row-mappers';
import { TimeTravel, atQuery } from '../../recovery/time-travel';
import { DeleteConfiguration, SaveConfiguration } from './configuration.commands';
import { configurationIdParam, saveConfigurationBody } from './configuration.dto';
import { Role } from '../../auth/roles';
import { ApiJsonBody, ApiQueryOf } from '../../common/http/api-input';

/** As of `at`, or as a backup holds them (`backupId`: the Backup Browser shows a backup before any restore). */
const listQuery = z
  .object({ kind: configurationKindSchema.optional(), at: atQuery, backupId: z.string().min(1).max(200).optional() })
  .strict()
  .refine((q) => !(q.at && q.backupId), { message: 'give at or backupId, not both' });

/** Reads are one-table lookups, answered here from the read model; writes go through the command bus. */
@Controller('api/configurations')
export class ConfigurationsController {
  constructor(
    private readonly commands: CommandBus,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly timeTravel: TimeTravel,
  ) {}

  @Get()
  @Role('viewer')
  @ApiQueryOf(listQuery)
  async list(@Query() query: unknown): Promise<{ items: Configuration[]; next: null }> {
    const { kind, at, backupId } = parseInput(listQuery, query, 'QUERY.INVALID');
    return this.timeTravel.read({ at, backupId }, async (dataSource) => {
      const rows = await dataSource.getRepository(ConfigurationEntity).find({ where: kind ? { kind } : {}, order: { name: 'ASC', id: 'ASC' } });
      return { items: rows.map(toConfiguration), next: null };
    });
  }

  @Get(':id')
  @Role('viewer')
  get(@Param('id') id: string): Promise<Configuration> {
    return this.find(id);
  }

  @Put(':id')
  @Role('editor')
  @ApiJsonBody('SaveConfigurationBody', saveConfigurationBody)
  async save(@Param('id') rawId: string, @Body() body: unknown, @Ctx() ctx: RequestContext): Promise<Configuration> {
    const id = parseInput(configurationIdParam, rawId, 'CONFIGURATION.INVALID_ID');
    await this.commands.execute(new SaveConfiguration(id, parseInput(saveConfigurationBody, body, 'CONFIGURATION.INVALID_INPUT'), ctx));
    return this.find(id);
  }

  @Delete(':id')
  @Role('editor')
  @HttpCode(204)
  async remove(@Param('id') id: string, @Ctx() ctx: RequestContext): Promise<void> {
    await this.commands.execute(new DeleteConfiguration(id, ctx));
  }

  private repo() {
    return this.dataSource.getRepository(ConfigurationEntity);
  }

  private async find(id: string): Promise<Configuration> {
    const row = await this.repo().findOneBy({ id });
    if (!row) throw configurationNotFound(id);
    return toConfiguration(row);
  }
}
