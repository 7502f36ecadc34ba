import { z } from 'zod';
import { sameType } from '../common/http/api-answer';
import { jobKindSchema, jobStateSchema, JobView } from './job';

/** A job as GET /api/jobs/:id and the progress socket show it (OpenAPI `Job`). */
export const jobAnswer = z.strictObject({
  id: z.string(),
  kind: jobKindSchema,
  state: jobStateSchema,
  phase: z.string(),
  done: z.number(),
  total: z.number().nullable(),
  bytes: z.number(),
  bytesTotal: z.number().nullable(),
  rate: z.number().nullable(),
  etaSeconds: z.number().nullable(),
  actor: z.string(),
  params: z.record(z.string(), z.unknown()),
  result: z.unknown(),
  error: z.strictObject({ code: z.string(), message: z.string(), details: z.unknown().optional() }).nullable(),
  cancellable: z.boolean(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  updatedAt: z.string(),
});
sameType<z.infer<typeof jobAnswer>, JobView>(true);
