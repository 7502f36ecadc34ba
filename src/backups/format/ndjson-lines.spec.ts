import { InvalidUtf8Error, ndjsonLines, NdjsonLine } from './ndjson-lines';

async function lines(chunks: Buffer[]): Promise<NdjsonLine[]> {
  const out: NdjsonLine[] = [];
  for await (const line of ndjsonLines((async function* () {
    yield* chunks;
  })())) out.push(line);
  return out;
}

/** Splits every byte position the same way, whatever the chunking. */
describe('ndjsonLines', () => {
  const text = '{"a":"é"}\n{"b":"漢字🌍"}\n\n{"c":1}\n';

  it('yields the same numbered lines for every split of the bytes, multi-byte characters included', async () => {
    const bytes = Buffer.from(text, 'utf8');
    const expected = text.split('\n').slice(0, -1).map((t, i) => ({ line: i + 1, text: t, terminated: true }));
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(await lines([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(expected);
    }
    expect(await lines([...bytes].map((b) => Buffer.from([b])))).toEqual(expected);
  });

  it('marks a last line without its line end', async () => {
    expect(await lines([Buffer.from('{"a":1}\n{"b"')])).toEqual([
      { line: 1, text: '{"a":1}', terminated: true },
      { line: 2, text: '{"b"', terminated: false },
    ]);
  });

  it('refuses invalid UTF-8 with the line it is on, never replacing it', async () => {
    const bad = Buffer.concat([Buffer.from('{"a":1}\n{"b":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n')]);
    await expect(lines([bad])).rejects.toEqual(new InvalidUtf8Error(2));
    await expect(lines([Buffer.from('ok\n'), Buffer.from([0xe6, 0xbc])])).rejects.toBeInstanceOf(InvalidUtf8Error);
  });
});
