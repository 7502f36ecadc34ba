import { readCellValue } from './read-cell-value';

describe('readCellValue', () => {
  it.each([
    ['', null],
    ['42', 42],
    ['-3.5', -3.5],
    ['1e3', 1000],
    ['0', 0],
    ['0.25', 0.25],
    ['true', true],
    ['FALSE', false],
    ['True', true],
    ['Paris', 'Paris'],
    ['  ', '  '],
    ['truest', 'truest'],
  ])('reads the string %j as %j', (text, value) => {
    expect(readCellValue(text)).toEqual(value);
  });

  it.each(['01234', '007', '-012', '12345678901234567890'])('keeps %j as a string so no digit is lost', (text) => {
    expect(readCellValue(text)).toBe(text);
  });

  it('keeps non-string values as they are', () => {
    const nested = { a: [1, { b: 2 }] };
    expect(readCellValue(nested)).toBe(nested);
    expect(readCellValue(7)).toBe(7);
    expect(readCellValue(false)).toBe(false);
    expect(readCellValue(null)).toBeNull();
  });
});
