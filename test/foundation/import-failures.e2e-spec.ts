import { AddressInfo } from 'node:net';
import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ProgressClient } from '../gateway/support/progress-client';
import { Http, TestApp, allLocations, createDataset, startApp, waitForJob } from '../support/app-harness';

/**
 * An import that cannot be read fails with its own IMPORT.* code, a message and where (never the
 * generic JOB.FAILED), the same in GET /api/jobs/:id and in the socket's job.failed; it writes
 * nothing and leaves no staged file.
 */
describe('import failures (e2e)', () => {
  let t: TestApp;
  let http: Http;
  let progress: ProgressClient;

  beforeAll(async () => {
    t = await startApp();
    http = t.http;
    progress = await ProgressClient.connect(`http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`);
    await progress.subscribe({ kind: 'import' });
  });
  afterAll(async () => {
    progress?.socket.disconnect();
    await t?.close();
  });

  /** Files this process holds open under `dir` (Linux); a file removed while open still holds its space. */
  const openFilesUnder = (dir: string) =>
    readdirSync('/proc/self/fd').flatMap((fd) => {
      try {
        const target = readlinkSync(`/proc/self/fd/${fd}`);
        return target.startsWith(dir) ? [target] : [];
      } catch {
        return [];
      }
    });
  const nested = (levels: number) => '['.repeat(levels) + '0' + ']'.repeat(levels);

  /** Imports `file` into a new dataset; the job's final view, checked to agree with its job.failed event when it failed. */
  async function importFile(file: string | Buffer, contentType: string, query: Record<string, string> = {}) {
    const ds = await createDataset(http);
    // superagent would send a Buffer under a JSON content type as JSON of the Buffer: name the format instead
    const format = { 'application/json': 'json', 'application/geo+json': 'geojson' }[contentType];
    const [type, formatQuery] = Buffer.isBuffer(file) && format ? ['application/octet-stream', { format }] : [contentType, {}];
    const res = await http.post(`/api/datasets/${ds.id}/import`).query({ ...query, ...formatQuery }).set('Content-Type', type).send(file);
    expect(res.status).toBe(202);
    const job = await waitForJob(http, res.body.jobId);
    if (job.state === 'failed') {
      const failed = await progress.waitFor((r) => r.job.id === job.id && r.event === 'job.failed');
      expect(failed.job.error).toEqual(job.error);
      expect(await allLocations(http, { datasetId: ds.id })).toEqual([]);
    }
    expect(readdirSync(join(t.dataDir, 'tmp')).filter((n) => n.startsWith('import-'))).toEqual([]);
    expect(openFilesUnder(join(t.dataDir, 'tmp'))).toEqual([]);
    return { job, datasetId: ds.id };
  }

  it.each([
    ['JSON, in a record', `[{"name":"a","lat":1,"lng":2},{"name":"b","lat":1,"lng":2,"x":${nested(6000)}}]`, 'application/json', 2],
    ['JSON, in a Save Project file', `{"locations":[{"name":"a","lat":1,"lng":2,"x":{"y":${nested(100)}}}],"metadata":{}}`, 'application/json', 1],
    [
      'GeoJSON, in a feature',
      `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[2,1]},"properties":{"x":${nested(6000)}}}]}`,
      'application/geo+json',
      1,
    ],
  ])('deep nesting (%s) fails with IMPORT.TOO_DEEP and the record', async (_case, file, contentType, line) => {
    const { job } = await importFile(file, contentType);
    expect(job.error).toEqual({
      code: 'IMPORT.TOO_DEEP',
      message: expect.stringMatching(/nests arrays and objects more than 64 levels deep/),
      details: { line, maxDepth: 64 },
    });
  });

  it('a record nesting 64 levels is imported', async () => {
    const { job, datasetId } = await importFile(`[{"name":"a","lat":1,"lng":2,"x":${nested(63)}}]`, 'application/json');
    expect(job.state).toBe('completed');
    const [location] = await allLocations(http, { datasetId });
    expect(JSON.stringify(location.properties.x)).toBe(nested(63));
  });

  it.each([
    ['in a record', '[{"name":"a","lat":1,"lng":2},{"name":"b","lat":NaN,"lng":2}]', { line: 2 }],
    ['beside the records of a Save Project file', '{"metadata":{"a":NaN},"locations":[]}', undefined],
  ])('NaN (%s) fails with IMPORT.MALFORMED_FILE, saying NaN is not JSON', async (_case, file, details) => {
    const { job } = await importFile(file, 'application/json');
    expect(job.error).toEqual({ code: 'IMPORT.MALFORMED_FILE', message: expect.stringContaining('NaN, Infinity, undefined and trailing commas are not JSON'), details });
  });

  it('a CSV row past the size limit fails with IMPORT.RECORD_TOO_LARGE and its line', async () => {
    const { job } = await importFile(`name,lat,lng\nb,1,2\n"${'a'.repeat(1_100_000)}",1,2\nc,1,2\n`, 'text/csv');
    expect(job.error).toEqual({
      code: 'IMPORT.RECORD_TOO_LARGE',
      message: 'The row starting on line 3 is longer than 1000000 characters; is a quote left unclosed?',
      details: { line: 3, maxChars: 1_000_000 },
    });
  });

  it('a JSON record past the size limit fails with IMPORT.RECORD_TOO_LARGE and its index', async () => {
    const { job } = await importFile(`[{"name":"a","lat":1,"lng":2},{"name":"b","lat":1,"lng":2,"x":"${'a'.repeat(1_100_000)}"}]`, 'application/json');
    expect(job.error).toEqual({
      code: 'IMPORT.RECORD_TOO_LARGE',
      message: 'Record 2 of the JSON file is longer than 1000000 characters',
      details: { line: 2, maxChars: 1_000_000 },
    });
  });

  describe('text that is not UTF-8', () => {
    const zurichCsv = Buffer.from('name,lat,lng\nBern,46.9,7.4\nZ\xfcrich,47.4,8.5\n', 'latin1');

    it.each([
      ['CSV', zurichCsv, 'text/csv', 3],
      ['JSON', Buffer.from('[\n{"name":"Bern","lat":46.9,"lng":7.4},\n{"name":"Z\xfcrich","lat":47.4,"lng":8.5}\n]', 'latin1'), 'application/json', 3],
      [
        'GeoJSON',
        Buffer.from('{"type":"FeatureCollection","features":[\n{"type":"Feature","geometry":{"type":"Point","coordinates":[8.5,47.4]},"properties":{"name":"Z\xfcrich"}}]}', 'latin1'),
        'application/geo+json',
        2,
      ],
    ])('%s is refused with IMPORT.ENCODING and the line, not imported as "Z\uFFFDrich"', async (_format, file, contentType, line) => {
      const { job } = await importFile(file, contentType);
      expect(job.error).toEqual({ code: 'IMPORT.ENCODING', message: expect.stringContaining(`Line ${line} of the file is not valid UTF-8`), details: { line, encoding: 'UTF-8' } });
    });

    it.each(['latin1', 'windows-1252'])('is read as encoding=%s says', async (encoding) => {
      const { job, datasetId } = await importFile(Buffer.concat([zurichCsv, Buffer.from('K\xf6ln \x80,50.9,6.9\n', 'latin1')]), 'text/csv', { encoding });
      expect(job).toMatchObject({ state: 'completed', result: { locationsWritten: 3 } });
      expect((await allLocations(http, { datasetId })).map((l) => l.name).sort()).toEqual(['Bern', 'Köln €', 'Zürich']);
    });

    it('an unknown encoding is refused before anything is staged', async () => {
      const ds = await createDataset(http);
      const res = await http.post(`/api/datasets/${ds.id}/import`).query({ encoding: 'ebcdic' }).set('Content-Type', 'text/csv').send('name,lat,lng\n');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'IMPORT.INVALID_OPTIONS', details: [expect.objectContaining({ path: 'encoding' })] });
    });
  });
});
