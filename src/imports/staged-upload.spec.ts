import { execFileSync } from 'node:child_process';
import { closeSync, constants, existsSync, linkSync, openSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer, IncomingMessage, request, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Request } from 'express';
import { tempDir } from '../../test/support/event-fixtures';
import { stageUpload, StagedUpload } from './staged-upload';

/**
 * stageUpload over a real HTTP server and the real file system: however a multipart upload ends,
 * the promise settles only after the staged file is closed, and a failed one leaves no file and no
 * open descriptor behind (the hostile run once found an `import-<id>.upload` left in DATA_DIR/tmp:
 * a parser error rejected at once, and the removal could run before the file's creation).
 */
const BOUNDARY = 'gv-boundary';
const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`;
const filePart = (name: string, content: string) =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n${content}`;
const formEnd = `\r\n--${BOUNDARY}--\r\n`;

type Outcome = { staged: StagedUpload } | { error: { code?: string; status?: number } };

describe('stageUpload', () => {
  let dir: ReturnType<typeof tempDir>;
  let server: Server;
  let outcome: Promise<Outcome> | undefined;
  let path: string;

  beforeEach(async () => {
    dir = tempDir();
    outcome = undefined;
    path = join(dir.dir, 'import-test.upload');
    server = createServer((req: IncomingMessage, res) => {
      outcome = stageUpload(req as unknown as Request, path, 1024 * 1024).then(
        (staged) => ({ staged }),
        (error) => ({ error: { code: error.code, status: error.status } }),
      );
      void outcome.then(() => res.end());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    dir.cleanup();
  });

  /** Sends one request; resolves once the server's handler has started staging it. */
  function send(body: string, options: { end?: boolean; type?: string } = {}) {
    const req = request({ port: (server.address() as AddressInfo).port, method: 'POST', path: '/', headers: { 'content-type': options.type ?? MULTIPART } });
    req.on('error', () => undefined);
    req.on('response', (res) => res.resume());
    if (options.end === false) req.write(body);
    else req.end(body);
    return req;
  }
  /** The outcome of the request the server is handling, once it has started staging it (not waiting for it to settle). */
  const started = async (): Promise<{ outcome: Promise<Outcome> }> => {
    while (!outcome) await new Promise((r) => setTimeout(r, 10));
    return { outcome };
  };
  /** Descriptors of this process still open on the staged file (or on its removed name). */
  const openOnPath = () =>
    readdirSync('/proc/self/fd').filter((fd) => {
      try {
        const target = readlinkSync(`/proc/self/fd/${fd}`);
        return target === path || target === `${path} (deleted)`;
      } catch {
        return false; // closed meanwhile
      }
    });
  const settledWithin = (p: Promise<unknown>, ms: number) => Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

  /**
   * A FIFO at the path holds the file's open until a reader comes: the slow open of a loaded
   * machine, made certain. The upload fails meanwhile; it must not settle before the open has
   * finished and the file is closed (else the removal runs first and the open creates the file).
   */
  async function failsOnlyOnceClosed(start: () => Promise<{ outcome: Promise<Outcome> }>): Promise<Outcome> {
    execFileSync('mkfifo', [path]);
    linkSync(path, `${path}.reader`);
    const { outcome: result } = await start();
    const settledEarly = await settledWithin(result, 1500);
    const reader = openSync(`${path}.reader`, constants.O_RDONLY | constants.O_NONBLOCK); // lets the open finish
    try {
      const settled = await result;
      expect(settledEarly).toBe(false);
      expect(existsSync(path)).toBe(false);
      expect(openOnPath()).toEqual([]);
      return settled;
    } finally {
      closeSync(reader);
    }
  }

  it('a form that ends mid-file settles only once the file is closed, and leaves nothing', async () => {
    const settled = await failsOnlyOnceClosed(async () => {
      send(filePart('../../etc/passwd', 'name,lat\n')); // the form's end never comes: "Unexpected end of form"
      return started();
    });
    expect(settled).toEqual({ error: { code: 'IMPORT.MALFORMED_UPLOAD', status: 400 } });
  });

  it('a raw body cut by its client settles only once the file is closed, and leaves nothing', async () => {
    const settled = await failsOnlyOnceClosed(async () => {
      const req = send('name,lat\na,1\n', { end: false, type: 'text/csv' });
      const handling = await started();
      req.destroy();
      return handling;
    });
    expect(settled).toMatchObject({ error: {} });
  });

  it('a file part after a parser error is never staged: no file, no open descriptor', async () => {
    // The malformed header makes busboy emit an error, yet it parses on through the same chunk and
    // announces the next part's file, whose data never ends (the request is no longer read).
    const malformed = `--${BOUNDARY}\r\nNot A Header\0\r\n\r\nx\r\n`;
    send(malformed + filePart('late.csv', 'name,lat\n'), { end: false });
    expect(await (await started()).outcome).toEqual({ error: { code: 'IMPORT.MALFORMED_UPLOAD', status: 400 } });
    // a late staging would show as a file or a descriptor within moments; none may come
    await new Promise((r) => setTimeout(r, 500));
    expect(existsSync(path)).toBe(false);
    expect(openOnPath()).toEqual([]);
  });

  it('a client that goes away mid-file leaves no file and no open descriptor', async () => {
    const req = send(filePart('cut.csv', 'name,lat\n' + 'a,1\n'.repeat(20_000)), { end: false });
    const { outcome: result } = await started();
    await new Promise((r) => setTimeout(r, 100));
    req.destroy();
    expect(await result).toEqual({ error: { code: 'IMPORT.MALFORMED_UPLOAD', status: 400 } });
    expect(existsSync(path)).toBe(false);
    expect(openOnPath()).toEqual([]);
  });

  it('stages the first file of a form and drains a second one unread', async () => {
    send(filePart('one.csv', 'name,lat\na,1\n') + `\r\n` + filePart('two.csv', 'name,lat\nb,2\n') + formEnd);
    const result = await (await started()).outcome;
    expect(result).toMatchObject({ staged: { fileName: 'one.csv', contentType: 'text/csv', bytes: 13 } });
    expect(readFileSync(path, 'utf8')).toBe('name,lat\na,1\n');
    expect(openOnPath()).toEqual([]);
  });

  it('a file over the limit answers 413 and leaves nothing', async () => {
    send(filePart('big.csv', 'x'.repeat(1024 * 1024 + 10)) + formEnd);
    expect(await (await started()).outcome).toEqual({ error: { code: 'IMPORT.TOO_LARGE', status: 413 } });
    expect(existsSync(path)).toBe(false);
    expect(openOnPath()).toEqual([]);
  });
});
