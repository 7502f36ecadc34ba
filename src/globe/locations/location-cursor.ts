import { AppError } from '../../common/app-error';

export interface LocationCursor {
  /** The sort key's value of the page's last row (for `id` order, the id itself). */
  value: string | null;
  id: string;
}

/**
 * Opaque page cursors: the last row's sort value and id, with the order they belong to, base64url
 * so clients do not build them by hand. A cursor from another order is refused, not misread.
 */
export const encodeCursor = (sort: string, order: string, last: LocationCursor): string =>
  Buffer.from(JSON.stringify([sort, order, last.value, last.id]), 'utf8').toString('base64url');

export function decodeCursor(cursor: string, sort: string, order: string): LocationCursor {
  try {
    const [s, o, value, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (s === sort && o === order && typeof id === 'string' && (value === null || typeof value === 'string')) return { value, id };
  } catch {
    // reported below
  }
  throw new AppError('QUERY.INVALID_CURSOR', 'the cursor is not one this API returned for this order', 400, { cursor });
}
