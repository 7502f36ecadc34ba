import { parseDecimal } from './parse-decimal';

describe('parseDecimal', () => {
  it.each([
    ['12.5', 12.5],
    [' -3 ', -3],
    ['1e3', 1000],
    ['+48.8566', 48.8566],
    ['.5', 0.5],
    ['5.', 5],
    ['-2.5E-2', -0.025],
  ])('reads %j as %d', (text, value) => {
    expect(parseDecimal(text)).toBe(value);
  });

  it.each(['', '   ', 'abc', 'NaN', 'Infinity', '-Infinity', '0x1A', '1e999', '1,5', '12abc', '--1', '.'])(
    'rejects %j',
    (text) => {
      expect(parseDecimal(text)).toBeUndefined();
    },
  );
});
