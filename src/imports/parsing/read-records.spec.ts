import { Readable } from 'node:stream';
import { AppError } from '../../common/app-error';
import { readRecordBatches, readRecords } from './read-records';

const ROWS_PER_CHUNK = 1000;

/** A CSV of `rowCount` rows produced chunk by chunk as the reader pulls, never held whole. */
function generatedCsv(rowCount: number, onChunk: () => void = () => undefined): Readable {
  return Readable.from(
    (function* () {
      yield 'name,lat,lng,population\n';
      for (let first = 0; first < rowCount; first += ROWS_PER_CHUNK) {
        onChunk();
        let chunk = '';
        for (let i = first; i < Math.min(first + ROWS_PER_CHUNK, rowCount); i++) {
          chunk += `City ${i},${(i % 180) - 90 + 0.5},${(i % 360) - 180 + 0.25},${i * 7}\n`;
        }
        yield chunk;
      }
    })(),
  );
}

describe('readRecords (streaming)', () => {
  it('streams 200,000 CSV rows with lines 2..200001', async () => {
    const rowCount = 200_000;
    let expectedLine = 2;
    for await (const { line, record } of readRecords(generatedCsv(rowCount), 'csv')) {
      if (line !== expectedLine) throw new Error(`line ${line} where ${expectedLine} was expected`);
      if (record.name !== `City ${line - 2}`) throw new Error(`line ${line} holds ${String(record.name)}`);
      expectedLine++;
    }
    expect(expectedLine - 2).toBe(rowCount);
  });

  it('streams the same records in batches: never empty, in order, far fewer batches than records', async () => {
    const rowCount = 50_000;
    const flat: number[] = [];
    let batches = 0;
    for await (const batch of readRecordBatches(generatedCsv(rowCount), 'csv')) {
      expect(batch.length).toBeGreaterThan(0);
      batches++;
      for (const { line } of batch) flat.push(line);
    }
    expect(flat).toEqual(Array.from({ length: rowCount }, (_, i) => i + 2));
    expect(batches).toBeLessThan(rowCount / 100);
  });

  it('reads the input only as fast as the consumer iterates', async () => {
    let chunksPulled = 0;
    const records = readRecords(generatedCsv(1_000_000, () => chunksPulled++), 'csv')[Symbol.asyncIterator]();
    await records.next();
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Stream buffers hold a handful of chunks; without backpressure all 1,000 would be read by now.
    expect(chunksPulled).toBeLessThan(20);
    await records.return?.();
  });

  it('destroys the input when the consumer stops early', async () => {
    const input = generatedCsv(100_000);
    for await (const { line } of readRecords(input, 'csv')) if (line === 10) break;
    // pipeline destroys upstream streams when the parser closes, a tick after the break.
    await new Promise((resolve) => setImmediate(resolve));
    expect(input.destroyed).toBe(true);
  });

  it('streams a large JSON array element by element', async () => {
    let pulled = 0;
    const input = Readable.from(
      (function* () {
        yield '{"locations": [';
        for (let i = 0; i < 100_000; i++) {
          pulled++;
          yield `${i ? ',' : ''}{"name": "City ${i}", "lat": 1, "lng": 2}`;
        }
        yield '], "metadata": {"recordCount": 100000}}';
      })(),
    );
    const records = readRecords(input, 'json')[Symbol.asyncIterator]();
    expect((await records.next()).value).toEqual({ line: 1, record: { name: 'City 0', lat: 1, lng: 2 } });
    expect(pulled).toBeLessThan(10_000);
    let count = 1;
    while (!(await records.next()).done) count++;
    expect(count).toBe(100_000);
  });

  it('rethrows an error of the input itself unchanged', async () => {
    const aborted = new Error('upload aborted');
    const input = new Readable({ read() {} });
    input.push('name,lat,lng\nParis,48.85,2.35\n');
    setTimeout(() => input.destroy(aborted), 10);
    const read = async () => {
      for await (const record of readRecords(input, 'csv')) void record;
    };
    await expect(read()).rejects.toBe(aborted);
  });

  it.each(['csv', 'json'] as const)('throws a %s parse failure from the iteration as an AppError', async (format) => {
    const input = Readable.from([Buffer.from(format === 'csv' ? 'a,b\n"x' : '[{"a": }]')]);
    const reading = (async () => {
      for await (const record of readRecords(input, format)) void record;
    })();
    await expect(reading).rejects.toBeInstanceOf(AppError);
    await expect(reading).rejects.toMatchObject({ code: 'IMPORT.MALFORMED_FILE' });
  });

  it('rethrows an input closed before its end unchanged, as a transport failure', async () => {
    const input = new Readable({ read() {} });
    input.push('name,lat,lng\nParis,48.85,2.35\n');
    setTimeout(() => input.destroy(), 10);
    const reading = (async () => {
      for await (const record of readRecords(input, 'csv')) void record;
    })();
    await expect(reading).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
  });
});
