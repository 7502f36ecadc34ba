import { OnApplicationShutdown } from '@nestjs/common';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { AppError } from '../../common/app-error';

/** The file whose lock says a process owns DATA_DIR. */
export const lockFileOf = (dataDir: string): string => join(dataDir, 'server.lock');

export const dataDirInUse = (dataDir: string) =>
  new AppError('DATA_DIR.IN_USE', `${dataDir} is in use by another Globe Vault process (its lock, ${lockFileOf(dataDir)}, is held); stop that server first`, 409, {
    dataDir,
  });

/**
 * One process owns a SQLite DATA_DIR: its log, its read models and its tmp/ folder (which start-up
 * empties). The lock is a kernel lock, not a pid file: an SQLite database held in EXCLUSIVE locking
 * mode, so it is released by the operating system however the holder ends (even SIGKILL), and no
 * stale file ever has to be cleaned. Another process (or another app in the same process) that
 * tries to take it is refused at once with `DATA_DIR.IN_USE`, before it touches anything.
 */
export class DataDirLock implements OnApplicationShutdown {
  private constructor(private readonly db: Database.Database) {}

  /** Takes the lock or throws `DATA_DIR.IN_USE`; the directory must exist. */
  static take(dataDir: string): DataDirLock {
    const db = new Database(lockFileOf(dataDir), { timeout: 0 });
    try {
      db.pragma('locking_mode = EXCLUSIVE');
      // The first write takes the exclusive lock; EXCLUSIVE locking mode keeps it until close.
      db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL, since TEXT NOT NULL)');
      db.prepare('DELETE FROM holder').run();
      db.prepare('INSERT INTO holder (pid, since) VALUES (?, ?)').run(process.pid, new Date().toISOString());
      return new DataDirLock(db);
    } catch (error) {
      db.close();
      if ((error as { code?: string }).code === 'SQLITE_BUSY') throw dataDirInUse(dataDir);
      throw error;
    }
  }

  /** Whether some process holds the lock now (takes and releases it when none does). */
  static isHeld(dataDir: string): boolean {
    try {
      DataDirLock.take(dataDir).release();
      return false;
    } catch (error) {
      if (error instanceof AppError && error.code === 'DATA_DIR.IN_USE') return true;
      throw error;
    }
  }

  release(): void {
    if (this.db.open) this.db.close();
  }

  onApplicationShutdown(): void {
    this.release();
  }
}
