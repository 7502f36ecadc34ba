import { AppError } from '../common/app-error';

export const previewStale = (basePosition: number, head: number) =>
  new AppError('RESTORE.PREVIEW_STALE', `the data changed since the preview (position ${basePosition}, now ${head}): preview again`, 409, {
    basePosition,
    head,
  });
export const restoreConflicts = (count: number) =>
  new AppError('RESTORE.CONFLICTS', `${count} items changed on both sides and the strategy is "fail"`, 409, { count });
export const alreadyUndone = (id: string, undoneBy: string) =>
  new AppError('RESTORE.ALREADY_UNDONE', `restore ${id} was undone by ${undoneBy}: undo that one to redo it`, 409, { id, undoneBy });
export const previewMismatch = (id: string) =>
  new AppError('RESTORE.PREVIEW_MISMATCH', `the preview token does not describe undoing restore ${id} (its position before, for its scope): preview that`, 400, { id });
export const restoreNotFound = (id: string) => new AppError('RESTORE.NOT_FOUND', `restore ${id} does not exist`, 404, { id });
export const targetInFuture = (position: number, head: number) =>
  new AppError('RESTORE.TARGET_IN_FUTURE', `position ${position} is past the head of the log (${head})`, 400, { position, head });
export const restorePointNotFound = (id: string) => new AppError('RESTORE_POINT.NOT_FOUND', `restore point ${id} does not exist`, 404, { id });
