import { IncomingMessage, ServerResponse } from 'node:http';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';

export const REQUEST_ID_HEADER = 'X-Request-Id';

const incomingId = z.string().trim().min(1).max(200);
const ASSIGNED = Symbol('globe-vault:request-id');

type WithId = IncomingMessage & { [ASSIGNED]?: string; id?: unknown };

/**
 * The one id of a request: the client's `X-Request-Id` when it sends a usable one (1–200
 * characters once trimmed), else a fresh UUIDv7. Assigned once, on first ask (the request logger
 * asks first, before anything else reads the request), so the log line, the response's
 * `X-Request-Id` header and the correlation id of every event the request appends are one value.
 */
export function requestIdOf(req: IncomingMessage, res?: ServerResponse): string {
  const held = (req as WithId)[ASSIGNED];
  if (held !== undefined) return held;
  const given = incomingId.safeParse(req.headers['x-request-id']);
  const id = given.success ? given.data : uuidv7();
  (req as WithId)[ASSIGNED] = id;
  if (res && !res.headersSent) res.setHeader(REQUEST_ID_HEADER, id);
  return id;
}
