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
  let inputError: unknown;
  input.once('error', (error) => {
    inputError = error;
  });
  // Failures are observed through the iteration below, so the callback has nothing to add.
  pipeline([input, ...parsers], () => undefined);
  return iterateOutput<T>(parsers[parsers.length - 1], (error) =>
    error === inputError || isPrematureClose(error) || error instanceof AppError ? error : describeParseFailure(error),
  );
}

async function* iterateOutput<T>(output: Transform, classify: (error: unknown) => unknown): AsyncGenerator<T> {
  try {
    for await (const item of output) yield item as T;
  } catch (error) {
    throw classify(error);
  }
}

/** Parsers never close early on their own, so an early close seen here is the input's. */
function isPrematureClose(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ERR_STREAM_PREMATURE_CLOSE';
}
