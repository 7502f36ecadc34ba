import { Controller, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Request } from 'express';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { parseInput } from '../common/http/parse-input';
import { Ctx, RequestContext } from '../common/http/request-context';
import { AppConfig, tmpDirOf } from '../config/app-config';
import { JobView } from '../jobs/job';
import { ImportDataset } from './import-dataset.command';
import { importOptionsSchema, newDatasetImportSchema } from './import-options';
import { stageUpload } from './staged-upload';
import { RateLimited } from '../auth/rate-limit.guard';
import { Role } from '../auth/roles';
import { ApiFileBody, ApiQueryOf } from '../common/http/api-input';

@Controller('api/datasets')
export class ImportController {
  constructor(private readonly commands: CommandBus, @Inject(AppConfig) private readonly config: AppConfig) {}

  /**
   * The file is the raw body (text/csv, application/json, application/geo+json) or the file of a
   * multipart form. It is streamed to disk before the answer, then imported by a job: 202 {jobId}.
   */
  /**
   * Imports a file into a dataset this request creates: the dataset and its rows are written in one
   * append, so a file that fails (bad rows, wrong encoding, cancelled) leaves no dataset at all.
   * 202 {jobId, datasetId}; the dataset exists once the job completes.
   */
  @Post('import')
  @Role('editor')
  @ApiFileBody('the file to import (CSV, JSON or GeoJSON)', 'text/csv', 'application/json', 'application/geo+json')
  @ApiQueryOf(newDatasetImportSchema)
  @RateLimited('heavy')
  @HttpCode(202)
  async importIntoNew(@Query() query: unknown, @Req() req: Request, @Ctx() ctx: RequestContext) {
    const { name, description, color, ...options } = parseInput(newDatasetImportSchema, query, 'IMPORT.INVALID_OPTIONS');
    const datasetId = uuidv7();
    const upload = await stageUpload(req, join(tmpDirOf(this.config), `import-${uuidv7()}.upload`), this.config.values.MAX_UPLOAD_BYTES);
    const newDataset = { id: datasetId, name, description, color };
    const job: JobView = await this.commands.execute(new ImportDataset(datasetId, upload, options, ctx, newDataset));
    return { jobId: job.id, datasetId, job };
  }

  @Post(':id/import')
  @Role('editor')
  @ApiFileBody('the file to import (CSV, JSON or GeoJSON)', 'text/csv', 'application/json', 'application/geo+json')
  @ApiQueryOf(importOptionsSchema)
  @RateLimited('heavy')
  @HttpCode(202)
  async import(@Param('id') datasetId: string, @Query() query: unknown, @Req() req: Request, @Ctx() ctx: RequestContext) {
    const options = parseInput(importOptionsSchema, query, 'IMPORT.INVALID_OPTIONS');
    const path = join(tmpDirOf(this.config), `import-${uuidv7()}.upload`);
    const upload = await stageUpload(req, path, this.config.values.MAX_UPLOAD_BYTES);
    const job: JobView = await this.commands.execute(new ImportDataset(datasetId, upload, options, ctx));
    return { jobId: job.id, datasetId, job };
  }
}
