import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { BackupPreparation } from './backup-preparation';
import { PreparationData, PreparationMessage, PreparationResult } from './backup-preparation-thread';
import { checkRecord } from '../format/check-record';
import { ndjsonLines } from '../format/ndjson-lines';
import { decodePayload } from '../format/payload-decoder';
import { unlock } from '../format/read-backup-records';
import { readBackupManifest } from '../format/read-backup-manifest';

/**
 * The preparation thread (see BackupPreparationThread): reads the file on its own, every record
 * parsed, checked against its schema and upcast as a reader does (the order, counts and state hash
 * are the verification's, running beside it on the main thread), into a BackupPreparation; then
 * answers the manifest and the sha256 of the stored bytes it read, by which the main thread ties
 * what was prepared to the file it verified.
 */
const data = workerData as PreparationData;
const post = (message: PreparationMessage) => parentPort!.postMessage(message);
const reply = (result: PreparationResult) => post({ result });

async function prepare(): Promise<PreparationResult> {
  // Held open, the file no longer needs its name: `opened` lets the owner remove the link at once.
  // The stream closes the handle when it ends or is destroyed; a terminated worker's handle is
  // closed with its environment.
  const file = await open(data.file, 'r');
  post({ opened: true });
  const { manifest, payload } = await readBackupManifest(createReadStream('', { fd: file }));
  let preparation: BackupPreparation | null = null;
  try {
    const key = await unlock(manifest, data);
    const { compression, rawBytes } = manifest.payload;
    const decoding = decodePayload(payload, { compression, key, decode: true, rawBytes });
    preparation = new BackupPreparation(data.paths, manifest);
    // Without a history to stage, reading stops after the state's lines (the manifest's counts say
    // how many); the stored bytes are still all read and hashed.
    const { datasets, locations, settings, configurations } = manifest.counts;
    const lastLine = data.paths.historyPath ? Number.MAX_SAFE_INTEGER : datasets + locations + settings + configurations;
    for await (const line of ndjsonLines(decoding.plaintext!)) {
      if (line.line > lastLine) break;
      const checked = checkRecord(JSON.parse(line.text));
      if (!checked.ok) throw new Error(`record on payload line ${line.line} is invalid`);
      preparation.add(checked.record);
    }
    decoding.abandon();
    const stored = await decoding.stored;
    const { historyStaged } = preparation.finish();
    return { ok: true, manifest: JSON.stringify(manifest), sha256: stored.sha256, historyStaged };
  } catch (error) {
    preparation?.discard();
    payload.destroy();
    throw error;
  }
}

prepare().then(reply, (error: unknown) => reply({ ok: false, message: error instanceof Error ? error.message : String(error) }));
