import { parse } from 'csv-parse/sync';
import { csvField, csvRow } from './csv-field';

describe('csvField', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rhere', '"cr\rhere"'],
    ['', ''],
    [null, ''],
    [undefined, ''],
    [42, '42'],
    [-0.5, '-0.5'],
    [true, 'true'],
    [false, 'false'],
    [{ a: [1, 'x,y'] }, '"{""a"":[1,""x,y""]}"'],
    [[1, 2], '"[1,2]"'],
  ])('%j → %s', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('writes rows csv-parse reads back field for field', () => {
    const rows = [
      ['a', 'b,c', '"q"', 'multi\r\nline', ''],
      ['ü 東京 🚢', ' spaced ', '=1+2', "it's", ','],
    ];
    expect(parse(rows.map(csvRow).join(''))).toEqual(rows);
  });
});
