import { Controller, Get, Query, Res } from '@nestjs/common';
import { Response } from 'express';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { Clock } from '../common/clock';
import { parseInput } from '../common/http/parse-input';
import { NativeMemory } from '../common/native-memory';
import { datasetNotFound } from '../domain/domain-errors';
import { EventStore } from '../events/event-store';
import { Projector } from '../projections/projector';
import { APP_VERSION } from './app-version';
import { BackupService } from './catalog/backup.service';
import { writeBackupFile } from './format/write-backup-file';
import { writeBackupData } from './foreign/export-backup-data';
import { writeLocationsCsv } from './foreign/export-csv';
import { writeGlobeProject } from './foreign/export-globe-project';
import { LiveReadModels } from '../projections/live-read-models';
import { StateReader } from '../projections/state-reader';
import { backupLines } from './writing/backup-lines';
import { Role } from '../auth/roles';
import { ApiFileAnswer, ApiQueryOf } from '../common/http/api-input';

const exportQuery = z
  .object({
    format: z.enum(['globe-project', 'backup-data', 'csv', 'native']).default('globe-project'),
    datasetId: z.string().min(1).max(200).optional(),
  })
  .strict();

const CONTENT_TYPES = { 'globe-project': 'application/json', 'backup-data': 'application/json', csv: 'text/csv; charset=utf-8', native: 'application/octet-stream' };

/**
 * "Browser-side files": any export in one streamed call, without creating a stored backup. The
 * state is read at one log position (StateReader), so an export is consistent even while writes go
 * on; the JSON and CSV formats stream straight to the response, the native one is written to a
 * temporary file first because its header carries the payload's size and hash.
 */
@Controller('api/export')
export class ExportController {
  constructor(
    private readonly store: EventStore,
    private readonly projector: Projector,
    private readonly backups: BackupService,
    private readonly clock: Clock,
    private readonly readModels: LiveReadModels,
  ) {}

  @Get()
  @Role('viewer')
  @ApiQueryOf(exportQuery)
  @ApiFileAnswer('application/json', 'text/csv', 'application/octet-stream')
  async export(@Query() query: unknown, @Res() res: Response): Promise<void> {
    const { format, datasetId } = parseInput(exportQuery, query, 'EXPORT.INVALID_QUERY');
    await this.projector.waitFor(await this.store.headPosition());
    const reader = await this.readModels.reader();
    try {
      if (datasetId !== undefined && !reader.hasDataset(datasetId)) throw datasetNotFound(datasetId);
      const timestamp = new Date(this.clock.now()).toISOString();
      res.setHeader('Content-Type', CONTENT_TYPES[format]);
      res.setHeader('Content-Disposition', `attachment; filename="${fileName(format, timestamp)}"`);
      const info = { timestamp, appVersion: APP_VERSION, datasetId };
      // The JSON and CSV writers end the response themselves (and destroy it on failure).
      if (format === 'globe-project') await writeGlobeProject(reader.records(), res, info);
      else if (format === 'backup-data') await writeBackupData(reader.records(), res, info);
      else if (format === 'csv') await writeLocationsCsv(reader.records(), res, { propertyKeys: reader.propertyKeys(datasetId), datasetId });
      else await this.native(reader, timestamp, res);
    } finally {
      reader.close();
      NativeMemory.releaseSoon();
    }
  }

  private async native(reader: StateReader, createdAt: string, res: Response): Promise<void> {
    const tmp = join(this.backups.tmpDir(), `export-${uuidv7()}.gvbk`);
    try {
      const info = { appVersion: APP_VERSION, createdAt, headPosition: reader.position, headRecordedAt: null, includesHistory: true };
      await writeBackupFile(backupLines(reader, this.backups.historySource()), info, tmp, { compression: 'gzip', tmpDir: this.backups.tmpDir() });
      await pipeline(createReadStream(tmp), res);
    } finally {
      await rm(tmp, { force: true });
    }
  }
}

/** The Globe app names its project files globe-backup-YYYY-MM-DD.json; the others follow suit. */
function fileName(format: keyof typeof CONTENT_TYPES, timestamp: string): string {
  const day = timestamp.slice(0, 10);
  return {
    'globe-project': `globe-backup-${day}.json`,
    'backup-data': `globe-vault-backup-data-${day}.json`,
    csv: `globe-locations-${day}.csv`,
    native: `globe-vault-${timestamp.replace(/[-:]/g, '').slice(0, 15)}.gvbk`,
  }[format];
}
