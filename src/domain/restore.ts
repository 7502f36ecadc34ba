import { z } from 'zod';

/** Where a restore goes back to: a moment, a log position, a restore point, or a backup file. */
export const restoreTargetSchema = z.union([
  z.object({ at: z.iso.datetime({ offset: true }) }).strict(),
  z.object({ position: z.number().int().min(0) }).strict(),
  z.object({ restorePointId: z.string().min(1).max(200) }).strict(),
  // A backup file's state (an uploaded file is a backup too). The passphrase of an encrypted one
  // travels with the request only: it is stripped before a target is signed or recorded.
  z.object({ backupId: z.string().min(1).max(200), passphrase: z.string().min(1).max(1024).optional() }).strict(),
]);
export type RestoreTarget = z.infer<typeof restoreTargetSchema>;

/** What a restore touches; absent means everything. */
export const restoreScopeSchema = z
  .object({
    datasets: z.array(z.string().min(1).max(200)).max(1000).optional(),
    settings: z.literal(true).optional(),
    configurations: z.literal(true).optional(),
  })
  .strict();
export type RestoreScope = z.infer<typeof restoreScopeSchema>;

/**
 * How an item that differs between now and the target is settled: the target's version, the
 * current one, whichever was updated last, or refuse the whole restore.
 */
export const conflictStrategySchema = z.enum(['target-wins', 'keep-current', 'newest-wins', 'fail']);
export type ConflictStrategy = z.infer<typeof conflictStrategySchema>;

const kindCounts = z.object({ added: z.number().int(), changed: z.number().int(), removed: z.number().int() });
export const restoreCountsSchema = z.object({
  datasets: kindCounts,
  locations: kindCounts,
  configurations: kindCounts,
  settings: z.object({ changed: z.number().int() }),
});
export type RestoreCounts = z.infer<typeof restoreCountsSchema>;

export const isWholeScope = (scope: RestoreScope) => !scope.datasets && !scope.settings && !scope.configurations;

/** The target as it may be signed, logged and shown: without a passphrase. */
export function publicTarget(target: RestoreTarget): RestoreTarget {
  if (!('backupId' in target)) return target;
  return { backupId: target.backupId };
}

export const passphraseOf = (target: RestoreTarget): string | undefined => ('backupId' in target ? target.passphrase : undefined);
