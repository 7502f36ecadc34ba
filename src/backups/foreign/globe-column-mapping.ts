import { ColumnMapping } from '../../domain/dataset';
import { isJsonObject } from '../../imports/parsing/is-json-object';

/** The visual channels of the Globe app's column mapping; ours has the same keys. */
const CHANNELS = ['quantity', 'size', 'color', 'label', 'flightPath'] as const;

/** A column mapping as the Globe app holds it: channels mapped to a column name, unmapped ones left out. */
export function toGlobeColumnMapping(mapping: ColumnMapping): Record<string, string> {
  const globe: Record<string, string> = {};
  for (const channel of CHANNELS) {
    const column = mapping[channel];
    if (typeof column === 'string') globe[channel] = column;
  }
  return globe;
}

/** Ours from a Save Project file's `columnMapping`: the known channels with a string value, nothing else. */
export function fromGlobeColumnMapping(value: unknown): ColumnMapping {
  const mapping: ColumnMapping = {};
  if (!isJsonObject(value)) return mapping;
  for (const channel of CHANNELS) {
    const column = value[channel];
    if (typeof column === 'string') mapping[channel] = column;
  }
  return mapping;
}
