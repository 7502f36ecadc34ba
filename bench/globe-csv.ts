import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { v7 as uuidv7 } from 'uuid';
import { seededRandom } from '../src/common/seeded-random';

/**
 * The import benchmarks' file: a CSV of `name,lat,lng,population,country,category` (the Globe
 * app's name/latitude/longitude columns, and three more that the import keeps in `properties`:
 * `population` is not a quantity column, so it is a numeric property). Generated deterministically
 * block by block, so the CSV written to disk and the rows the bare-insert baselines write are the
 * same rows, and neither is ever held whole in memory.
 */
export const CSV_HEADER = 'name,lat,lng,population,country,category';
export const ROWS_PER_BLOCK = 10_000;

const COUNTRIES = ['FR', 'DE', 'US', 'JP', 'BR', 'IN', 'ZA', 'AU', 'CA', 'MX'];
const CATEGORIES = ['city', 'town', 'village', 'port', 'airport', 'station'];

export interface CsvRow {
  name: string;
  lat: number;
  lng: number;
  population: number;
  country: string;
  category: string;
}

/** Rows `[from, to)`; any range gives the same rows as generating the whole file. */
export function* csvRows(from: number, to: number): Generator<CsvRow> {
  let block = Math.floor(from / ROWS_PER_BLOCK);
  let random = seededRandom(block + 1);
  // Skip to `from` inside its block (each row draws exactly three numbers).
  for (let n = block * ROWS_PER_BLOCK; n < from; n++) random(), random(), random();
  for (let n = from; n < to; n++) {
    if (Math.floor(n / ROWS_PER_BLOCK) !== block) {
      block = Math.floor(n / ROWS_PER_BLOCK);
      random = seededRandom(block + 1);
    }
    yield {
      name: `Place ${n}`,
      lat: Math.round((random() * 180 - 90) * 1e4) / 1e4,
      lng: Math.round((random() * 360 - 180) * 1e4) / 1e4,
      population: Math.floor(random() * 5_000_000),
      country: COUNTRIES[n % COUNTRIES.length],
      category: CATEGORIES[n % CATEGORIES.length],
    };
  }
}

/** Writes the CSV of `rows` rows to `path`, streaming (one block of text in memory at a time). Answers its size in bytes. */
export async function writeCsv(path: string, rows: number): Promise<number> {
  const out = createWriteStream(path);
  let bytes = 0;
  const write = async (text: string) => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(`${CSV_HEADER}\n`);
  for (let from = 0; from < rows; from += ROWS_PER_BLOCK) {
    const lines: string[] = [];
    for (const r of csvRows(from, Math.min(rows, from + ROWS_PER_BLOCK))) {
      lines.push(`${r.name},${r.lat},${r.lng},${r.population},${r.country},${r.category}`);
    }
    await write(`${lines.join('\n')}\n`);
  }
  out.end();
  await once(out, 'finish');
  return bytes;
}

/** A row of the read model's `locations` table, in the projector's column order. */
export type LocationTuple = [
  id: string,
  datasetId: string,
  name: string,
  latitude: number,
  longitude: number,
  quantity: number | null,
  properties: string,
  createdAt: string,
  updatedAt: string,
];

/**
 * The rows the projector writes for rows `[from, to)` of the CSV: ids minted with uuidv7 as the
 * import mints them, `properties` as the import types them (population a number).
 */
export function locationTuples(from: number, to: number, datasetId: string, now: string): LocationTuple[] {
  const out: LocationTuple[] = [];
  for (const r of csvRows(from, to)) {
    const properties = JSON.stringify({ population: r.population, country: r.country, category: r.category });
    out.push([uuidv7(), datasetId, r.name, r.lat, r.lng, null, properties, now, now]);
  }
  return out;
}
