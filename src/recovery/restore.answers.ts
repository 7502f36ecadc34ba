import { z } from 'zod';
import { sameType } from '../common/http/api-answer';
import { conflictStrategySchema, restoreCountsSchema, restoreScopeSchema, restoreTargetSchema } from '../domain/restore';
import type { RestoreView } from './restore-history';

/** A restore as the history lists it (OpenAPI `Restore`). */
export const restoreAnswer = z.strictObject({
  id: z.string(),
  actor: z.string(),
  source: z.string(),
  startedAt: z.string(),
  target: restoreTargetSchema,
  scope: restoreScopeSchema,
  strategy: z.string().describe(conflictStrategySchema.options.join(', ')),
  basePosition: z.number().int(),
  undoOf: z.string().nullable(),
  undoneBy: z.strictObject({ id: z.string(), startedAt: z.string() }).nullable(),
  position: z.number().int(),
  counts: restoreCountsSchema.nullable(),
});
sameType<z.infer<typeof restoreAnswer>, RestoreView>(true);

/** POST /api/restores and /api/restores/:id/undo: 202, the job and the restore's id (OpenAPI `RestoreStarted`). */
export const restoreStartedAnswer = z.strictObject({ jobId: z.string(), restoreId: z.string() });
export type RestoreStarted = z.infer<typeof restoreStartedAnswer>;
