/** Plain decimal notation: optional sign, digits with an optional point, optional exponent. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * The finite number a text spells in decimal notation, ignoring surrounding spaces
 * (" -3 ", "12.5", "1e3"); undefined for anything else, including "", "abc", "NaN",
 * "Infinity", hexadecimal ("0x1A", which Number() would accept) and values too large
 * for a double ("1e999").
 */
export function parseDecimal(text: string): number | undefined {
  const trimmed = text.trim();
  if (!DECIMAL.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}
