import { parentPort, workerData } from 'node:worker_threads';
import { NdjsonCheck } from './ndjson-check';

/**
 * The check thread of a backup being written (see NdjsonCheckThread): takes NDJSON chunks in order,
 * answers `checked` for each (the writer's flow control), `failed` once at the first bad line, and
 * the facts or the failure after `end`.
 */
const check = new NdjsonCheck((workerData as { includesHistory: boolean }).includesHistory);
const port = parentPort!;
port.on('message', (message: Uint8Array | 'end') => {
  if (message === 'end') {
    port.postMessage({ kind: 'end', result: check.finish() });
    port.close();
    return;
  }
  const failedBefore = check.failure !== null;
  check.push(Buffer.from(message.buffer, message.byteOffset, message.byteLength));
  if (!failedBefore && check.failure) port.postMessage({ kind: 'failed', failure: check.failure });
  port.postMessage({ kind: 'checked' });
});
