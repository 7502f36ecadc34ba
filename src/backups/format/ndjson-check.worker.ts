import { setImmediate as nextTurn } from 'node:timers/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { NdjsonCheck } from './ndjson-check';
import { CheckThreadData, ToCheckThread } from './ndjson-check-thread';
import { PayloadRoundTrip } from './payload-round-trip';

/** The round trip's lag (NDJSON not yet matched by decoded bytes) at which checking pauses until it is back under LAG_LOW. */
const LAG_HIGH = 16 * 1024 * 1024;
const LAG_LOW = 4 * 1024 * 1024;

/**
 * The check thread of a backup being written (see NdjsonCheckThread): takes the NDJSON chunks and
 * the stored bytes made of them, in order; answers `checked` for each NDJSON chunk (the writer's
 * flow control), `failed` once at the first bad line, and after `end` the facts or the failure.
 *
 * Both kinds go to the round trip as they arrive (so decoded bytes always find their NDJSON);
 * the checks run one chunk per turn of the event loop, leaving turns to the decompressor, and
 * pause while decoding lags far behind (the writer then waits for `checked`): memory stays bounded.
 */
const data = workerData as CheckThreadData;
const check = new NdjsonCheck(data.includesHistory);
const key = data.key ? { key: Buffer.from(data.key.key), iv: Buffer.from(data.key.iv) } : null;
const roundTrip = new PayloadRoundTrip(data.compression, key);
const port = parentPort!;
const bytes = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
const toCheck: (Buffer | 'end')[] = [];
let checking = false;

port.on('message', (message: ToCheckThread) => {
  if (message === 'end') toCheck.push('end');
  else if ('stored' in message) return roundTrip.stored(bytes(message.stored));
  else {
    const plain = bytes(message.plain);
    roundTrip.plain(plain);
    toCheck.push(plain);
  }
  if (!checking) void checkQueued();
});

async function checkQueued(): Promise<void> {
  checking = true;
  while (toCheck.length) {
    const plain = toCheck.shift()!;
    if (plain === 'end') return finish();
    const failedBefore = check.failure !== null;
    check.push(plain);
    if (!failedBefore && check.failure) port.postMessage({ kind: 'failed', failure: check.failure });
    port.postMessage({ kind: 'checked' });
    await (roundTrip.lag > LAG_HIGH ? roundTrip.caughtUp(LAG_LOW) : nextTurn());
  }
  checking = false;
}

async function finish(): Promise<void> {
  const result = check.finish();
  const undecodable = 'stateHash' in result ? await roundTrip.finish() : null;
  port.postMessage({ kind: 'end', result, undecodable });
  port.close();
}
