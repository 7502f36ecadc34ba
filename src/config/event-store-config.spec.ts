import { KNOWN_ENV_VARIABLES, loadConfig } from './app-config';
import { readModelsInPostgres } from './event-store-config';

describe('EVENT_STORE, DATABASE_URL, KURRENTDB_URL', () => {
  const values = (env: NodeJS.ProcessEnv) => loadConfig(env).values;

  it('defaults to the embedded SQLite log, its read models in DATA_DIR', () => {
    const v = values({});
    expect(v.EVENT_STORE).toBe('sqlite');
    expect(v.DATABASE_URL).toBeUndefined();
    expect(readModelsInPostgres(v)).toBe(false);
  });

  it('postgres needs DATABASE_URL; kurrentdb needs KURRENTDB_URL and keeps read models in PostgreSQL only when DATABASE_URL is set', () => {
    const pg = values({ EVENT_STORE: 'postgres', DATABASE_URL: 'postgres://globe:secret@db:5432/globe' });
    expect(pg.EVENT_STORE).toBe('postgres');
    expect(readModelsInPostgres(pg)).toBe(true);

    const kurrent = values({ EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'kurrentdb://kurrentdb:2113?tls=false' });
    expect(kurrent.KURRENTDB_URL).toBe('kurrentdb://kurrentdb:2113?tls=false');
    expect(readModelsInPostgres(kurrent)).toBe(false);
    expect(readModelsInPostgres(values({ EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'esdb://a:2113,b:2113?tls=false', DATABASE_URL: 'postgresql://db/globe' }))).toBe(true);
    // A SQLite log keeps everything local even when a DATABASE_URL lingers in the environment.
    expect(readModelsInPostgres(values({ DATABASE_URL: 'postgres://db/globe' }))).toBe(false);
    for (const url of ['esdb+discover://cluster.example:2113', 'kurrentdb+discover://cluster.example:2113', 'kdb://h:2113']) {
      expect(values({ EVENT_STORE: 'kurrentdb', KURRENTDB_URL: url }).KURRENTDB_URL).toBe(url);
    }
  });

  it('refuses a missing or malformed server at start-up, naming the variable and never quoting the URL', () => {
    const cases: [NodeJS.ProcessEnv, RegExp][] = [
      [{ EVENT_STORE: 'mongodb' }, /EVENT_STORE: expected one of sqlite, postgres, kurrentdb \(got "mongodb"\)/],
      [{ EVENT_STORE: 'postgres' }, /DATABASE_URL: required with EVENT_STORE=postgres/],
      [{ EVENT_STORE: 'kurrentdb' }, /KURRENTDB_URL: required with EVENT_STORE=kurrentdb/],
      [{ EVENT_STORE: 'postgres', DATABASE_URL: 'mysql://u:hunter2@db/globe' }, /DATABASE_URL: the scheme mysql:\/\/ is not one of postgres:\/\/, postgresql:\/\/.*\(got a value not shown\)/],
      [{ EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'http://kurrentdb:2113' }, /KURRENTDB_URL: the scheme http:\/\/ is not one of kurrentdb:\/\//],
      [{ EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'kurrentdb:2113' }, /KURRENTDB_URL: not a connection string/],
      [{ EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'kurrentdb://k:2113', ARCHIVE_FOLLOW: 's3://bucket/log' }, /ARCHIVE_FOLLOW: a follower adopts the archive's history, which the KurrentDB log cannot/],
    ];
    for (const [env, message] of cases) expect(() => loadConfig(env)).toThrow(message);
    expect(() => loadConfig({ EVENT_STORE: 'postgres', DATABASE_URL: 'mysql://u:hunter2@db/globe' })).not.toThrow(/hunter2/);
  });

  it('lists every variable the schema reads, for the compose spec', () => {
    expect(KNOWN_ENV_VARIABLES).toEqual(expect.arrayContaining(['EVENT_STORE', 'DATABASE_URL', 'KURRENTDB_URL', 'PORT', 'REDIS_URL', 'S3_ENDPOINT', 'RCLONE_CONFIG']));
    expect(KNOWN_ENV_VARIABLES).not.toContain('dataDir');
  });
});
