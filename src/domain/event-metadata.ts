import { z } from 'zod';

export const eventSourceSchema = z.enum(['api', 'ui', 'cli', 'import', 'scheduler', 'restore']);
export type EventSource = z.infer<typeof eventSourceSchema>;

/**
 * Who did it, through what, and why: stored with every event, so the log is the audit trail.
 * `correlationId` ties together everything one request or job wrote (an import's chunks, a
 * restore's compensating events); `causationId` names the event or command that caused it.
 */
export const eventMetadataSchema = z.object({
  actor: z.string().min(1).max(200),
  /** The display name a client gave (`X-Actor`) beside the token it authenticated with (`actor`). */
  actorName: z.string().min(1).max(200).optional(),
  source: eventSourceSchema,
  correlationId: z.string().min(1).max(200),
  causationId: z.string().max(200).nullable(),
  reason: z.string().max(1000).optional(),
});
export type EventMetadata = z.infer<typeof eventMetadataSchema>;
