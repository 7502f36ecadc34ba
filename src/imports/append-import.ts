import { EventMetadata } from '../domain/event-metadata';
import { datasetNotFound } from '../domain/domain-errors';
import { AppendResult, EventStore, NewEvent } from '../events/event-store';
import { WrongExpectedRevisionError } from '../events/event-store.errors';
import { datasetStream } from '../globe/streams';
import { GlobeReadModel } from '../projections/globe-read-model';
import { Projector } from '../projections/projector';
import { readLinesSync } from './read-lines-sync';
import { ImportReport } from './stage-import-chunks';

export interface AppendImportInput {
  datasetId: string;
  importId: string;
  chunkPath: string;
  report: ImportReport;
  fileName: string | null;
  metadata: EventMetadata;
  now: string;
}

const MAX_ATTEMPTS = 5;

/**
 * Phase two of an import: one append, so the whole import is in the log or none of it is (a crash
 * mid-way leaves nothing; there is never a half-imported dataset in the log). The staged chunks are
 * read lazily inside the store's transaction, one at a time. The dataset must still exist, checked
 * at the stream revision the append then expects: a concurrent delete makes it retry and refuse.
 */
export async function appendImport(
  store: EventStore,
  projector: Projector,
  readModel: GlobeReadModel,
  input: AppendImportInput,
): Promise<AppendResult> {
  const stream = datasetStream(input.datasetId);
  for (let attempt = 1; ; attempt++) {
    const expected = await store.streamRevision(stream);
    await projector.waitFor(await store.headPosition());
    const state = await readModel.partialState({ datasetIds: [input.datasetId] });
    if (!state.datasets.has(input.datasetId)) throw datasetNotFound(input.datasetId);
    try {
      return await store.append(stream, importEvents(input), expected);
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

function* importEvents(input: AppendImportInput): Generator<NewEvent> {
  const { datasetId, metadata, report } = input;
  for (const line of readLinesSync(input.chunkPath)) {
    yield { type: 'LocationsAdded', data: { datasetId, locations: JSON.parse(line) }, metadata };
  }
  yield {
    type: 'DatasetImported',
    data: {
      datasetId,
      importId: input.importId,
      source: { fileName: input.fileName, format: report.format },
      rowsRead: report.rowsRead,
      locationsWritten: report.locations,
      rowsSkipped: report.invalidRows,
      duplicates: report.duplicates,
      updated_at: input.now,
    },
    metadata,
  };
}
