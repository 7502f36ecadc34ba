import { parseDecimal } from './parse-decimal';

/** An integer part with a leading zero ("007", "01234"): a code, not a quantity. */
const LEADING_ZERO = /^\s*[+-]?0\d/;

/**
 * A property value as the Globe app reads it. Non-strings (JSON numbers, booleans,
 * null, nested objects and arrays) are kept as they are. Strings: "" becomes null;
 * "true"/"false" in any case become booleans; decimal numbers become numbers;
 * everything else stays the same string.
 *
 * Two kinds of numeric strings stay strings because converting them would lose data:
 * a leading zero (postal codes, phone numbers, "007") and integers beyond 2^53 (long
 * ids), which a double cannot hold exactly.
 */
export function readCellValue(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (value === '') return null;
  if (value.length === 4 || value.length === 5) {
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  const number = parseDecimal(value);
  if (number === undefined) return value;
  if (Number.isInteger(number) && !Number.isSafeInteger(number)) return value;
  return LEADING_ZERO.test(value) ? value : number;
}
