import Database from 'better-sqlite3';
import { DataSource } from 'typeorm';

/** Injection token of the raw better-sqlite3 connection under TypeORM's DataSource (same connection, same file). */
export const READ_MODEL_DB = Symbol('READ_MODEL_DB');

export function rawConnection(dataSource: DataSource): Database.Database {
  return (dataSource.driver as unknown as { databaseConnection: Database.Database }).databaseConnection;
}
