import { z } from 'zod';

/** Degrees, as the Globe app stores them. zod 4 numbers are finite: NaN and ±Infinity fail. */
export const latitudeSchema = z.number().min(-90).max(90);
export const longitudeSchema = z.number().min(-180).max(180);
export const locationIdSchema = z.string().min(1).max(200);
export const isoTimeSchema = z.string().min(1).max(40);

/**
 * A free-form bag for every column of an imported row that has no named field: a plain JSON object.
 * Checked by hand rather than with z.record, which walked every key and cost a third of validating
 * a location on the append path (BENCHMARKS.md, append); the guarantee is the same.
 */
export const propertiesSchema = z.custom<Record<string, unknown>>(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && [Object.prototype, null].includes(Object.getPrototypeOf(v)),
  { message: 'properties is a JSON object' },
);

/**
 * A Location as the Globe app defines it. `id` is kept exactly as imported or restored;
 * `properties` holds every other column. The dataset it belongs to is known from the event
 * that carries it, so the event payload does not repeat it.
 */
export const locationSchema = z.object({
  id: locationIdSchema,
  name: z.string().max(1000),
  latitude: latitudeSchema,
  longitude: longitudeSchema,
  quantity: z.number().optional(),
  properties: propertiesSchema,
  created_at: isoTimeSchema,
  updated_at: isoTimeSchema,
});
export type LocationData = z.infer<typeof locationSchema>;

/** A location as read models and the state hold it: with the dataset it belongs to. */
export type Location = LocationData & { datasetId: string };
