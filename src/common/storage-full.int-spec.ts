import Database from 'better-sqlite3';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../test/support/event-fixtures';
import { AppError } from './app-error';
import { asStorageFull, isStorageFull } from './storage-full';

/** The mapping, fed real failures: a SQLite database at its page limit, a write to /dev/full. */
describe('storage full', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());

  /** The error SQLite raises once a WAL database may not grow, and the rows it then holds. */
  function fillDatabase(): { error: unknown; rows: number; committed: number } {
    const db = new Database(join(dir.dir, 'full.sqlite'));
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (v TEXT)');
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number + 4}`);
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    let error: unknown = null;
    let committed = 0;
    try {
      for (; committed < 1000; committed++) db.transaction(() => insert.run('x'.repeat(2000)))();
    } catch (e) {
      error = e;
    }
    const rows = db.prepare('SELECT count(*) FROM t').pluck().get() as number;
    db.close();
    return { error, rows, committed };
  }

  it('maps SQLITE_FULL to 507 STORAGE.FULL, and the failed transaction left nothing', () => {
    const { error, rows, committed } = fillDatabase();
    expect(error).toMatchObject({ code: 'SQLITE_FULL' });
    expect(isStorageFull(error, dir.dir)).toBe(true);
    expect(asStorageFull(error, dir.dir)).toMatchObject({ code: 'STORAGE.FULL', status: 507, message: expect.stringContaining('nothing was written') });
    expect(committed).toBeGreaterThan(0);
    expect(committed).toBeLessThan(1000);
    expect(rows).toBe(committed);
  });

  (existsSync('/dev/full') ? it : it.skip)('maps ENOSPC (a write to /dev/full), also as the cause of another error', () => {
    let error: unknown;
    try {
      writeFileSync('/dev/full', 'x');
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'ENOSPC' });
    expect(asStorageFull(error, dir.dir)).toMatchObject({ code: 'STORAGE.FULL', status: 507 });
    expect(isStorageFull(new Error('staging failed', { cause: error }))).toBe(true);
  });

  it('leaves other errors alone: a disk I/O error with space to spare, AppErrors, plain errors', () => {
    const ioError = Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE' });
    expect(isStorageFull(ioError, dir.dir)).toBe(false);
    const own = new AppError('LOCATION.NOT_FOUND', 'no', 404);
    expect(asStorageFull(own, dir.dir)).toBe(own);
    expect(asStorageFull(new Error('boom'), dir.dir)).toEqual(new Error('boom'));
    expect(isStorageFull(Object.assign(new Error('busy'), { code: 'SQLITE_BUSY' }), dir.dir)).toBe(false);
  });
});
