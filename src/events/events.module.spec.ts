import { ManualClock } from '../common/clock';
import { loadConfig } from '../config/app-config';
import { tempDir } from '../../test/support/event-fixtures';
import { openEventStore } from './events.module';
import { SqliteEventStore } from './sqlite/sqlite-event-store';
import { WriteGate } from './write-gate';

describe('EVENT_STORE picks the log', () => {
  it('sqlite (the default): the embedded log in DATA_DIR', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const store = await openEventStore(loadConfig({ DATA_DIR: dir }), new ManualClock(), new WriteGate());
      expect(store).toBeInstanceOf(SqliteEventStore);
      await store.close();
    } finally {
      cleanup();
    }
  });

  it('kurrentdb: a server that cannot be reached stops the start-up, naming KURRENTDB_URL (a real client, a loopback port nothing listens on)', async () => {
    const config = loadConfig({ EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'kurrentdb://admin:changeit@127.0.0.1:1?tls=false' });
    const opening = openEventStore(config, new ManualClock(), new WriteGate());
    await expect(opening).rejects.toThrow(/^KURRENTDB_URL: KurrentDB could not be read at start-up/);
    await expect(opening).rejects.not.toThrow(/changeit/);
  });
});
