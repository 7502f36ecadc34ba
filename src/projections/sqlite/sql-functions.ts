import Database from 'better-sqlite3';

/** Case- and accent-insensitive form of a text, for search ("évora" finds "Évora"; SQLite's LIKE folds ASCII only). */
export const foldText = (text: string): string => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

/** SQL functions every read-model connection (live or a past state) offers to queries. */
export function registerSqlFunctions(db: Database.Database): void {
  db.function('fold', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? foldText(value) : value));
}
