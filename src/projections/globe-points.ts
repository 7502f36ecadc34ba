import type { DataSource } from 'typeorm';

/**
 * Every location of a state as the globe draws it, column by column: no names, no properties, no
 * timestamps unless asked (the globe fetches one location's details when it is clicked).
 *
 * Points are grouped by dataset, in the order of `datasets` (each with how many of the points are
 * its own; within a dataset, in no promised order): a dataset's points are one contiguous slice of
 * every column, so a layer takes views of the arrays without copying them.
 */
export interface GlobePoints {
  /** The read model's checkpoint the points were read at (the same read transaction as the rows). */
  position: number;
  datasets: { id: string; count: number }[];
  ids: string[];
  latitude: Float64Array;
  longitude: Float64Array;
  /** NaN where a location has no quantity. */
  quantity: Float64Array;
  /** Only when asked for (`updatedAt: true`): the restore preview decides "newest wins" with it. */
  updatedAt?: string[];
}

export interface GlobePointsOptions {
  updatedAt?: boolean;
}

/**
 * The globe's compact read (GET /api/globe/points) on any read-model state: the live one, a past
 * one, a backup's (each given as the DataSource TimeTravel hands out). Guarantees every adapter keeps:
 *
 * 1. The points and `position` come from one moment: no apply lands between them.
 * 2. `position` alone may answer "has it changed?" (`checkpoint`): equal positions of one log hold
 *    equal points, so a cache keyed on the log's chain hash at that position never serves stale points.
 */
export abstract class GlobePointsReads {
  abstract points(source: DataSource, options?: GlobePointsOptions): Promise<GlobePoints>;

  /** The checkpoint of the state `source` holds, without reading its rows (a conditional request's cheap answer). */
  abstract checkpoint(source: DataSource): Promise<number>;
}
