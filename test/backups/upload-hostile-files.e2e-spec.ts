import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildServer, killAllChildServers } from '../support/child-server';
import { backupsDir, filesIn, tmpDirOf } from './backup-helpers';
import { bitFlips, craftedFiles, HostileFile, soundBackup } from './hostile-backups';

/**
 * No upload, however crafted, ends the process or leaves a file behind. The real server runs as a
 * child process (a crash is then seen as one, not as a failed test inside jest's process) and is
 * sent crafted native backups (bombs against the declared sizes, truncations, lying manifests,
 * absurd counts, garbage payloads), a sound backup with one bit flipped at many offsets (most in
 * its payload: this used to end the server with EBADF when the preparation thread stopped reading
 * before the verification did), and uploads the client abandons mid-body and mid-verification.
 * After each: a 4xx with its BACKUP.* code, the process alive, GET /api/backups unchanged, and
 * DATA_DIR/tmp and the backup storage empty.
 *
 * Quick (npm test): a 20,000-location backup, 30 flips, one round. Full, with figures printed:
 *   RELIABILITY_FULL=1 npx jest test/backups/upload-hostile-files.e2e-spec.ts
 * runs a 200,000-location backup, 3 rounds of the crafted files and 120 flips each (other
 * positions each round).
 */
const FULL = process.env.RELIABILITY_FULL === '1';
const SIZE = FULL ? { locations: 200_000, flips: 120, rounds: 3 } : { locations: 20_000, flips: 30, rounds: 1 };

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe(`hostile backup uploads to the real server (${FULL ? 'full' : 'quick'}: ${SIZE.locations} locations, ${SIZE.rounds} × ${SIZE.flips} flips)`, () => {
  let dataDir: string;
  let server: ChildServer;
  let sound: Buffer;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'gv-hostile-upload-'));
    // beside the sound backup being built, the start takes more than 30 s at load ~30
    [server, sound] = await Promise.all([ChildServer.start({ dataDir, readyTimeoutMs: 150_000 }), soundBackup(SIZE.locations)]);
  }, 180_000);
  afterAll(async () => {
    await killAllChildServers();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** The process is up, nothing is listed, nothing is stored, nothing is left in tmp. */
  async function nothingChanged(what: string): Promise<void> {
    if (!server.alive) throw new Error(`the server died after ${what}:\n${server.output()}`);
    const list = await server.http.get('/api/backups');
    expect({ what, status: list.status, items: list.body.items }).toEqual({ what, status: 200, items: [] });
    expect({ what, stored: filesIn(backupsDir(dataDir)), tmp: filesIn(tmpDirOf(dataDir)) }).toEqual({ what, stored: [], tmp: [] });
  }

  /** Uploads each file; answers the ones whose answer was not one of those expected. */
  async function send(files: HostileFile[]): Promise<string[]> {
    const unexpected: string[] = [];
    for (const file of files) {
      const res = await server.http
        .post('/api/backups/upload')
        .set('Content-Type', 'application/octet-stream')
        .send(file.bytes)
        .catch((error: Error) => {
          throw new Error(`${file.name}: ${error.message}; the server ${server.alive ? 'is up' : 'died'}:\n${server.output()}`);
        });
      const outcome = `${res.status} ${res.body?.code}`;
      if (!file.expected.includes(outcome)) unexpected.push(`${file.name}: ${outcome} ${res.body?.message ?? ''}`);
      await nothingChanged(file.name);
    }
    return unexpected;
  }

  it(`${SIZE.rounds} round(s) of crafted files and of ${SIZE.flips} one-bit flips of a sound backup: every one refused with its code, the server up, nothing left`, async () => {
    const started = Date.now();
    let sent = 0;
    for (let round = 1; round <= SIZE.rounds; round++) {
      const files = [...craftedFiles(sound), ...bitFlips(sound, SIZE.flips, round)];
      expect(await send(files)).toEqual([]);
      sent += files.length;
    }
    if (FULL) console.log(`hostile uploads: ${sent} files (${SIZE.rounds} rounds, ${SIZE.rounds * SIZE.flips} flips) of a ${sound.length}-byte backup of ${SIZE.locations} locations in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, FULL ? 3_600_000 : 300_000);

  it('an upload the client abandons mid-body or during its verification leaves nothing behind', async () => {
    const flipped = bitFlips(sound, 20, 99).at(-1)!.bytes;
    for (const [what, bytes, sent] of [
      ['mid-body', sound, Math.floor(sound.length / 2)],
      ['after the whole body, during verification', flipped, flipped.length],
      ['mid-body, multipart', sound, Math.floor(sound.length / 2)],
    ] as const) {
      await abandonedUpload(server.url, bytes, sent, what.endsWith('multipart'));
      await until(`tmp emptied after an upload abandoned ${what}`, () => filesIn(tmpDirOf(dataDir)).length === 0);
      await nothingChanged(`an upload abandoned ${what}`);
    }
  }, 60_000);
});

/** Sends the first `sent` bytes of a request announcing all of `bytes`, then drops the connection. */
async function abandonedUpload(url: string, bytes: Buffer, sent: number, multipart: boolean): Promise<void> {
  const boundary = 'hostile-boundary';
  const head = multipart ? Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="b.gvbk"\r\nContent-Type: application/octet-stream\r\n\r\n`) : Buffer.alloc(0);
  const tail = multipart ? Buffer.from(`\r\n--${boundary}--\r\n`) : Buffer.alloc(0);
  const req = httpRequest(`${url}/api/backups/upload`, {
    method: 'POST',
    headers: {
      'Content-Type': multipart ? `multipart/form-data; boundary=${boundary}` : 'application/octet-stream',
      'Content-Length': head.length + bytes.length + tail.length,
    },
  });
  req.on('error', () => undefined);
  req.on('response', (res) => res.resume());
  req.write(head);
  await new Promise<void>((resolve) => req.write(bytes.subarray(0, sent), () => resolve()));
  if (sent === bytes.length) req.write(tail);
  await sleep(150);
  req.destroy();
}

async function until(what: string, test: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`${what}: never happened`);
    await sleep(20);
  }
}
