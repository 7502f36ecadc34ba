import { IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from '../app-error';
import { MAX_JSON_DEPTH } from '../json-depth';

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The JSON body parser's `verify` hook: a body nesting arrays and objects deeper than
 * MAX_JSON_DEPTH is refused with 400 `REQUEST.TOO_DEEP` before it is parsed, so no handler ever
 * walks it. Thrown from here, the AppError reaches the body parser's callback as it is.
 */
export function refuseDeepJsonBody(_req: IncomingMessage, _res: ServerResponse, body: Buffer): void {
  if (jsonNestsDeeperThan(body, MAX_JSON_DEPTH)) {
    throw new AppError('REQUEST.TOO_DEEP', `the body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep`, 400, { maxDepth: MAX_JSON_DEPTH });
  }
}

/**
 * Whether the JSON text in `bytes` nests arrays and objects deeper than `max`. One pass over the
 * bytes, no recursion, no parsing: brackets inside strings do not count (a UTF-8 multi-byte
 * sequence never contains a quote, a backslash or a bracket byte). Text that is not JSON is not
 * judged here (the parser refuses it next); a stray closing bracket only lowers the count.
 */
export function jsonNestsDeeperThan(bytes: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > max) return true;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}
