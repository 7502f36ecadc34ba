import { pipeline, Readable, Transform } from 'node:stream';
import { AppError } from '../../common/app-error';

/**
 * Pipes `input` through `parsers` (wired up at once, before the first `next()`) and
 * iterates what the last parser emits.
 *
 * Guarantees:
 * - backpressure end to end: the parsers hold at most their buffers, and `input` is
 *   read only as fast as the consumer awaits items;
 * - no failure is an unhandled 'error' event: every error of the chain is thrown from
 *   the iteration. Transport failures are rethrown as they are: an error raised by
 *   `input` itself (an aborted upload, a size limit) and `input` closing before its end
 *   (`ERR_STREAM_PREMATURE_CLOSE`). So is any AppError, already classified. Everything
 *   else came from parsing and goes through `describeParseFailure`;
 * - a consumer that stops early (break, return, throw) destroys the whole chain,
 *   `input` included, so nothing is left reading.
 */
export function iterateParsed<T>(
  input: NodeJS.ReadableStream | Readable,
  parsers: [Transform, ...Transform[]],
  describeParseFailure: (error: unknown) => AppError,
): AsyncIterable<T> {
  return items<T>(wireUp(input, parsers, describeParseFailure));
}

/**
 * iterateParsed, in batches, with the same guarantees: each batch is every item the last
 * parser had emitted when the consumer asked (for csv-parse, the records of one input
 * chunk), never empty, in order. A million-record file then costs a few thousand async
 * steps instead of one or more per record (~0.5 s of a 1,000,000-row import: BENCHMARKS.md, import).
 */
export function iterateParsedBatches<T>(
  input: NodeJS.ReadableStream | Readable,
  parsers: [Transform, ...Transform[]],
  describeParseFailure: (error: unknown) => AppError,
): AsyncIterable<T[]> {
  return batches<T>(wireUp(input, parsers, describeParseFailure));
}

interface WiredOutput {
  output: Transform;
  classify: (error: unknown) => unknown;
}

function wireUp(
  input: NodeJS.ReadableStream | Readable,
  parsers: [Transform, ...Transform[]],
  describeParseFailure: (error: unknown) => AppError,
): WiredOutput {
  // The pipeline destroys every stream with the first error, so each later emits it too, and the
  // order of those 'error' events is not the order of the failures (a parser's own error event
  // comes a tick or two after it failed). A parser that fails holds its error (`errored`) from that
  // moment on, so an error the input emits is the input's own only if no parser failed with it.
  let inputError: unknown;
  input.once('error', (error) => {
    if (!parsers.some((parser) => parser.errored === error)) inputError = error;
  });
  // Failures are observed through the iteration below, so the callback has nothing to add.
  pipeline([input, ...parsers], () => undefined);
  return {
    output: parsers[parsers.length - 1],
    classify: (error) => (error === inputError || isPrematureClose(error) || error instanceof AppError ? error : describeParseFailure(error)),
  };
}

async function* items<T>({ output, classify }: WiredOutput): AsyncGenerator<T> {
  try {
    for await (const item of output) yield item as T;
  } catch (error) {
    throw classify(error);
  }
}

async function* batches<T>({ output, classify }: WiredOutput): AsyncGenerator<T[]> {
  try {
    for await (const first of output) {
      const batch = [first as T];
      // What the stream buffered already comes without waiting; read() answers null once it is drained.
      for (let item = output.read(); item !== null; item = output.read()) batch.push(item as T);
      yield batch;
    }
  } catch (error) {
    throw classify(error);
  }
}

/** Parsers never close early on their own, so an early close seen here is the input's. */
function isPrematureClose(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ERR_STREAM_PREMATURE_CLOSE';
}
