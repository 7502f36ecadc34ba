import { z } from 'zod';
import { conflictStrategySchema, restoreScopeSchema, restoreTargetSchema } from '../domain/restore';

export const previewBody = z.object({ target: restoreTargetSchema, scope: restoreScopeSchema.default({}) }).strict();

const overrideKey = z.string().regex(/^(dataset|location|configuration|settings):.{1,200}$/, 'keys are dataset:<id>, location:<id>, configuration:<id> or settings:<key>');
export const restoreBody = z
  .object({
    previewToken: z.string().min(1).max(20_000),
    strategy: conflictStrategySchema.default('target-wins'),
    overrides: z.record(overrideKey, z.enum(['target', 'current'])).default({}),
    /** For a backup target that is encrypted (it is never stored). */
    passphrase: z.string().min(1).max(1024).optional(),
  })
  .strict();

/**
 * An undo may quote the token of its own preview (POST /api/restores/preview of the position before
 * the restore, for its scope): then it is refused, nothing written, if the data moved since.
 */
export const undoBody = z.object({ previewToken: z.string().min(1).max(20_000).optional() }).strict();

export const restorePointBody = z.object({ name: z.string().trim().min(1).max(200), description: z.string().max(2000).default('') }).strict();
