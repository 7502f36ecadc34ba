import { AppError } from '../../common/app-error';

/** Opaque page cursors: the last id of the page, base64url-encoded so clients do not build them by hand. */
export const encodeCursor = (lastId: string): string => Buffer.from(JSON.stringify([lastId]), 'utf8').toString('base64url');

export function decodeCursor(cursor: string): string {
  try {
    const [id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof id === 'string') return id;
  } catch {
    // reported below
  }
  throw new AppError('QUERY.INVALID_CURSOR', 'the cursor is not one this API returned', 400, { cursor });
}
