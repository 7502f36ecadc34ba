import { OnApplicationBootstrap } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { rm } from 'node:fs/promises';
import { DataSource, In } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../common/app-error';
import { Clock } from '../common/clock';
import { RequestContext } from '../common/http/request-context';
import { datasetNotFound } from '../domain/domain-errors';
import { EventStore } from '../events/event-store';
import { JobView } from '../jobs/job';
import { JobContext, JobRunner } from '../jobs/job-runner';
import { LocationEntity } from '../projections/entities/location.entity';
import { GlobeReadModel } from '../projections/globe-read-model';
import { Projector } from '../projections/projector';
import { appendImport } from './append-import';
import { ImportOptions, NewDataset } from './import-options';
import { LocationIds } from './location-ids';
import { detectFormat } from './parsing/import-format';
import { StagedUpload } from './staged-upload';
import { stageImportChunks } from './stage-import-chunks';

export class ImportDataset {
  constructor(
    readonly datasetId: string,
    readonly upload: StagedUpload,
    readonly options: ImportOptions,
    readonly ctx: RequestContext,
    /** Set when the import creates its dataset (`POST /api/datasets/import?name=`), in the same append. */
    readonly newDataset?: NewDataset,
  ) {}
}

/**
 * Starts an import job for an upload already staged on disk. Its `done`/`total` count the locations
 * that reached the read models (so `done` only ever grows, and ends equal to the rows written);
 * while the file is read, `bytes`/`bytesTotal` carry the progress. The job reads and checks the whole file
 * first (cancellable, writes nothing), then appends it in one transaction, then waits until the read
 * models hold it; it completes only when every imported location can be read. Staged files are
 * removed when the job ends, and any left by a crash are removed at start-up.
 */
@CommandHandler(ImportDataset)
export class ImportDatasetHandler implements ICommandHandler<ImportDataset, JobView>, OnApplicationBootstrap {
  /** One for the process, so concurrent imports never mint the same location id (see LocationIds). */
  private readonly locationIds = new LocationIds(uuidv7);

  constructor(
    private readonly jobs: JobRunner,
    private readonly store: EventStore,
    private readonly projector: Projector,
    private readonly readModel: GlobeReadModel,
    private readonly clock: Clock,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** An import whose job a crash interrupted after its append committed is complete: say so. */
  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.settleInterrupted('import', async (view) => {
      const [summary] = await this.store.query({ types: ['DatasetImported'], correlationId: view.id, direction: 'backward', limit: 1 });
      if (summary?.type !== 'DatasetImported') return null;
      const { importId, ...result } = summary.data;
      return { ...result, completedBeforeRestart: true };
    });
  }

  async execute({ datasetId, upload, options, ctx, newDataset }: ImportDataset): Promise<JobView> {
    try {
      if (!newDataset && !(await this.readModel.partialState({ datasetIds: [datasetId] })).datasets.has(datasetId)) throw datasetNotFound(datasetId);
      const format = options.format ?? detectFormat(upload.contentType, upload.head, options.fileName ?? upload.fileName);
      const fileName = options.fileName ?? upload.fileName ?? null;
      return await this.jobs.start(
        { kind: 'import', actor: ctx.actor, params: { datasetId, newDataset: newDataset?.name, fileName, format, bytes: upload.bytes, ...options } },
        (job) => this.run(job, { datasetId, upload, options, ctx, newDataset }, format, fileName),
      );
    } catch (error) {
      await rm(upload.path, { force: true });
      throw error;
    }
  }

  private async run(job: JobContext, cmd: ImportDataset, format: ReturnType<typeof detectFormat>, fileName: string | null) {
    const chunkPath = `${cmd.upload.path}.chunks`;
    try {
      job.progress({ phase: 'reading', done: 0, total: null, bytes: 0, bytesTotal: cmd.upload.bytes });
      const now = new Date(this.clock.now()).toISOString();
      const report = await stageImportChunks({
        datasetId: cmd.datasetId,
        uploadPath: cmd.upload.path,
        uploadBytes: cmd.upload.bytes,
        format,
        options: cmd.options,
        chunkPath,
        now,
        newId: this.locationIds.next,
        existingIds: (ids) => this.existingIds(ids),
        // While reading, the total of locations is unknown: progress is the bytes read of a known size.
        onProgress: (_rows, bytes) => job.progress({ bytes }),
        throwIfCancelled: job.throwIfCancelled,
      });
      if (report.invalidRows > 0 && !cmd.options.skipInvalidRows) {
        throw new AppError('IMPORT.INVALID_ROWS', `${report.invalidRows} of ${report.rowsRead} rows are invalid; nothing was imported`, 422, {
          invalidRows: report.invalidRows,
          rowsRead: report.rowsRead,
          errors: report.errors,
        });
      }
      job.throwIfCancelled();
      job.progress({ phase: 'writing', cancellable: false, done: 0, total: report.locations });
      const metadata = { actor: cmd.ctx.actor, source: 'import' as const, correlationId: job.id, causationId: cmd.ctx.correlationId };
      const appended = await appendImport(this.store, this.projector, this.readModel, {
        datasetId: cmd.datasetId,
        importId: job.id,
        chunkPath,
        report,
        fileName,
        metadata,
        now,
        newDataset: cmd.newDataset,
      });
      await this.waitForProjection(job, appended.firstPosition, appended.lastPosition, report.chunkSizes);
      return {
        datasetId: cmd.datasetId,
        format,
        rowsRead: report.rowsRead,
        locationsWritten: report.locations,
        rowsSkipped: report.invalidRows,
        duplicates: report.duplicates,
        errors: report.errors,
        firstPosition: appended.firstPosition,
        lastPosition: appended.lastPosition,
      };
    } finally {
      await rm(cmd.upload.path, { force: true });
      await rm(chunkPath, { force: true });
    }
  }

  /** Reports how many imported locations the read models hold, chunk by chunk, until all of them. */
  private async waitForProjection(job: JobContext, first: number, last: number, chunkSizes: number[]): Promise<void> {
    const total = chunkSizes.reduce((a, b) => a + b, 0);
    job.progress({ phase: 'projecting', done: 0, total });
    const applied = (position: number) => chunkSizes.slice(0, Math.max(0, Math.min(chunkSizes.length, position - first + 1))).reduce((a, b) => a + b, 0);
    const subscription = this.projector.position$.subscribe((p) => job.progress({ done: applied(p) }));
    try {
      await this.projector.waitFor(last, 30 * 60_000);
    } finally {
      subscription.unsubscribe();
    }
    job.progress({ done: total });
  }

  private async existingIds(ids: string[]): Promise<Set<string>> {
    const rows = await this.dataSource.getRepository(LocationEntity).find({ select: { id: true }, where: { id: In(ids) } });
    return new Set(rows.map((r) => r.id));
  }
}
