import { Readable } from 'node:stream';
import fc from 'fast-check';
import { RawRecord } from './raw-record';
import { readRecords } from './read-records';

/** The text as a stream of small byte chunks, so records, BOMs and CRLFs straddle chunk boundaries. */
function streamOf(text: string, chunkSize = 7): Readable {
  const bytes = Buffer.from(text, 'utf8');
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunkSize) chunks.push(bytes.subarray(at, at + chunkSize));
  return Readable.from(chunks);
}

async function readCsv(text: string, chunkSize?: number): Promise<RawRecord[]> {
  const records: RawRecord[] = [];
  for await (const record of readRecords(streamOf(text, chunkSize), 'csv')) records.push(record);
  return records;
}

async function readCsvError(text: string): Promise<unknown> {
  try {
    await readCsv(text);
  } catch (error) {
    return error;
  }
  throw new Error('expected the CSV to be rejected');
}

describe('readRecords (csv)', () => {
  it('keys string values by header and numbers lines from the header on line 1', async () => {
    expect(await readCsv('name,lat,lng\nParis,48.85,2.35\nLyon,45.76,4.83\n')).toEqual([
      { line: 2, record: { name: 'Paris', lat: '48.85', lng: '2.35' } },
      { line: 3, record: { name: 'Lyon', lat: '45.76', lng: '4.83' } },
    ]);
  });

  it('reads quoted commas, quotes and newlines, and reports where each record starts', async () => {
    const csv = 'name,note\n"Paris, France","a ""big""\nmulti\nline note"\nLyon,x\n"Nice","two\nlines"\nLast,y';
    expect(await readCsv(csv)).toEqual([
      { line: 2, record: { name: 'Paris, France', note: 'a "big"\nmulti\nline note' } },
      { line: 5, record: { name: 'Lyon', note: 'x' } },
      { line: 6, record: { name: 'Nice', note: 'two\nlines' } },
      { line: 8, record: { name: 'Last', note: 'y' } },
    ]);
  });

  it('counts a CRLF inside a quoted field as one line', async () => {
    const csv = 'name,note\r\n"Paris","one\r\ntwo\r\nthree"\r\nLyon,x\r\n';
    expect(await readCsv(csv)).toEqual([
      { line: 2, record: { name: 'Paris', note: 'one\r\ntwo\r\nthree' } },
      { line: 5, record: { name: 'Lyon', note: 'x' } },
    ]);
  });

  it('strips a BOM and trims header names', async () => {
    expect(await readCsv('\uFEFF name , lat\nParis,48.85\n', 2)).toEqual([
      { line: 2, record: { name: 'Paris', lat: '48.85' } },
    ]);
  });

  it('reads CRLF and mixed line endings', async () => {
    expect(await readCsv('name,lat\r\nParis,1\r\nLyon,2\nNice,3\r\n')).toEqual([
      { line: 2, record: { name: 'Paris', lat: '1' } },
      { line: 3, record: { name: 'Lyon', lat: '2' } },
      { line: 4, record: { name: 'Nice', lat: '3' } },
    ]);
  });

  it('skips empty lines and rows of empty cells while keeping line numbers physical', async () => {
    const csv = '\nname,lat\n\nParis,1\n\r\n,\n  ,  \nLyon,2\n\n';
    expect(await readCsv(csv)).toEqual([
      { line: 4, record: { name: 'Paris', lat: '1' } },
      { line: 8, record: { name: 'Lyon', lat: '2' } },
    ]);
  });

  it('reads short rows as empty cells and drops cells without a header', async () => {
    expect(await readCsv('name,lat,lng\nParis\nLyon,1,2,extra\n')).toEqual([
      { line: 2, record: { name: 'Paris', lat: '', lng: '' } },
      { line: 3, record: { name: 'Lyon', lat: '1', lng: '2' } },
    ]);
  });

  it('keeps every column of repeated headers and drops unnamed ones', async () => {
    expect(await readCsv('name,lat,name,,lat\nA,1,B,x,2\n')).toEqual([
      { line: 2, record: { name: 'A', lat: '1', name_2: 'B', lat_2: '2' } },
    ]);
  });

  it('keeps a stray quote inside an unquoted field as text', async () => {
    expect(await readCsv('name,size\nTV,55" screen\n')).toEqual([
      { line: 2, record: { name: 'TV', size: '55" screen' } },
    ]);
  });

  it('yields nothing for a header-only file', async () => {
    expect(await readCsv('name,lat,lng\n')).toEqual([]);
  });

  it('rejects an unclosed quote as a malformed file at the line where its row starts', async () => {
    const error = await readCsvError('name,note\nParis,ok\n\nLyon,"never closed\nmore\n');
    expect(error).toMatchObject({ code: 'IMPORT.MALFORMED_FILE', status: 400, details: { line: 4 } });
  });

  it('fails fast on an unclosed quote in a huge file instead of buffering the rest', async () => {
    const rowCount = 200_000;
    let rowsRead = 0;
    const rows = (function* () {
      yield 'name,note\nParis,"open\n';
      for (; rowsRead < rowCount; rowsRead++) yield `row ${rowsRead},${'x'.repeat(40)}\n`;
    })();
    const read = async () => {
      for await (const record of readRecords(Readable.from(rows), 'csv')) void record;
    };
    await expect(read()).rejects.toMatchObject({ code: 'IMPORT.RECORD_TOO_LARGE', details: { line: 2, maxChars: 1_000_000 } });
    expect(rowsRead).toBeLessThan(rowCount / 2);
  });

  it.each(['', '\n\n', '\uFEFF'])('rejects a file without a header row (%j)', async (csv) => {
    expect(await readCsvError(csv)).toMatchObject({ code: 'IMPORT.MALFORMED_FILE', details: { line: 1 } });
  });

  it('reports the physical starting line of every record, whatever the quoting and chunking', async () => {
    const fieldText = fc.stringMatching(/^[a-z ,"]*(?:(?:\r\n|\n|\r)[a-z ,"]*){0,2}$/);
    const rowsOf = fc.array(fc.tuple(fc.array(fieldText, { maxLength: 3 }), fc.nat({ max: 2 })), {
      minLength: 1,
      maxLength: 12,
    });
    const lineEnding = fc.constantFrom('\n', '\r\n');
    const chunkSize = fc.integer({ min: 1, max: 9 });
    await fc.assert(
      fc.asyncProperty(rowsOf, lineEnding, chunkSize, async (rows, eol, chunk) => {
        let csv = 'key,a,b,c' + eol;
        const expected: RawRecord[] = [];
        rows.forEach(([cells, emptyLinesBefore], index) => {
          csv += eol.repeat(emptyLinesBefore);
          const key = `r${index}`;
          expected.push({ line: physicalLineAt(csv), record: recordOf(key, cells) });
          csv += [key, ...cells].map(quoteCsv).join(',') + eol;
        });
        expect(await readCsv(csv, chunk)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

/** 1-based line on which the character after `text` sits; CRLF, LF and CR each end one line. */
function physicalLineAt(text: string): number {
  return text.split(/\r\n|\n|\r/).length;
}

function quoteCsv(cell: string): string {
  return `"${cell.replace(/"/g, '""')}"`;
}

function recordOf(key: string, cells: string[]): Record<string, string> {
  return { key, a: cells[0] ?? '', b: cells[1] ?? '', c: cells[2] ?? '' };
}
