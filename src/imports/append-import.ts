import { v7 as uuidv7 } from 'uuid';
import { EventMetadata } from '../domain/event-metadata';
import { decide } from '../domain/decide';
import { datasetNotFound } from '../domain/domain-errors';
import { emptyGlobeState } from '../domain/globe-state';
import { AppendResult, AppendableEvent, EventStore } from '../events/event-store';
import { HeadMovedError, WrongExpectedRevisionError } from '../events/event-store.errors';
import { preparedEvent } from '../events/serialize-new-event';
import { datasetStream } from '../domain/streams';
import { GlobeReadModel } from '../projections/globe-read-model';
import { Projector } from '../projections/projector';
import { restorePointCreated } from '../domain/restore-point';
import { readLinesSync } from './read-lines-sync';
import { NewDataset } from './import-options';
import { ImportReport } from './stage-import-chunks';

export interface AppendImportInput {
  datasetId: string;
  importId: string;
  chunkPath: string;
  report: ImportReport;
  fileName: string | null;
  metadata: EventMetadata;
  now: string;
  /** The dataset this import creates; its stream must not exist yet. */
  newDataset?: NewDataset;
}

const MAX_ATTEMPTS = 5;

/**
 * Phase two of an import: one append, so the whole import is in the log or none of it is (a crash
 * mid-way leaves nothing; there is never a half-imported dataset in the log). The staged chunks are
 * read lazily inside the store's transaction, one at a time. The dataset must still exist, checked
 * at the stream revision the append then expects: a concurrent delete makes it retry and refuse.
 * The append also expects the head it read, so its restore point names exactly the state before it.
 * An import into a new dataset creates it in that same append, expecting its stream to be empty.
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
    const head = await store.headPosition();
    await projector.waitFor(head);
    const state = await readModel.partialState({ datasetIds: [input.datasetId] });
    if (!input.newDataset && !state.datasets.has(input.datasetId)) throw datasetNotFound(input.datasetId);
    try {
      return await store.append(stream, importEvents(input, head), expected, { expectedHead: head });
    } catch (error) {
      const retryable = error instanceof WrongExpectedRevisionError || error instanceof HeadMovedError;
      if (!retryable || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

/**
 * A restore point first ("just before I imported that file"), then the chunks, then the summary.
 * Each staged line is a LocationsAdded event's data as `prepareEventData` wrote it while staging
 * (stageImportChunks), so it goes in as a PreparedEvent: the store copies the text.
 */
function* importEvents(input: AppendImportInput, head: number): Generator<AppendableEvent> {
  const { datasetId, metadata, report } = input;
  const name = `Before importing ${input.fileName ?? `a ${report.format.toUpperCase()} file`}`;
  yield { ...restorePointCreated(uuidv7(), name, head, true), metadata };
  if (input.newDataset) {
    const [created] = decide(emptyGlobeState(), { type: 'CreateDataset', now: input.now, data: input.newDataset });
    yield { ...created, metadata };
  }
  for (const line of readLinesSync(input.chunkPath)) yield preparedEvent('LocationsAdded', line, metadata);
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
