import { z } from 'zod';
import { IssueDetail } from '../../common/zod-issues';
import { atQuery } from '../../recovery/time-travel';
import { latitudeSchema, locationIdSchema, longitudeSchema, propertiesSchema } from '../../domain/location';

export const addLocationBody = z
  .object({
    id: locationIdSchema.optional(),
    name: z.string().trim().min(1).max(1000),
    latitude: latitudeSchema,
    longitude: longitudeSchema,
    quantity: z.number().optional(),
    properties: propertiesSchema.optional(),
  })
  .strict();
export type AddLocationBody = z.infer<typeof addLocationBody>;

export const updateLocationBody = z
  .object({
    name: z.string().trim().min(1).max(1000),
    latitude: latitudeSchema,
    longitude: longitudeSchema,
    quantity: z.number().nullable(),
    properties: propertiesSchema,
  })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'name at least one field to change');
export type UpdateLocationBody = z.infer<typeof updateLocationBody>;

/** Coordinates get their own code: the Globe app shows it beside the map rather than as a generic error. */
export const locationErrorCode = (issues: IssueDetail[]) =>
  issues.some((i) => i.path === 'latitude' || i.path === 'longitude') ? 'LOCATION.INVALID_COORDINATES' : 'LOCATION.INVALID_INPUT';

const bboxSchema = z
  .string()
  .transform((s) => s.split(',').map(Number))
  .pipe(z.tuple([longitudeSchema, latitudeSchema, longitudeSchema, latitudeSchema]))
  .refine(([, south, , north]) => south <= north, 'bbox is west,south,east,north with south ≤ north');

export const listLocationsQuery = z
  .object({
    datasetId: z.string().min(1).max(200).optional(),
    q: z.string().max(200).optional(),
    bbox: bboxSchema.optional(),
    limit: z.coerce.number().int().min(1).max(10_000).default(100),
    cursor: z.string().max(2000).optional(),
    /** The Globe app's table order (name, created_at, updated_at); default id. Pages stay keyset-stable. */
    sort: z.enum(['id', 'name', 'created_at', 'updated_at']).default('id'),
    order: z.enum(['asc', 'desc']).default('asc'),
    /** The Globe app's table filter. */
    filterBy: z.enum(['all', 'with_quantity', 'without_quantity']).default('all'),
    at: atQuery,
    /** Read a backup's locations instead of the live ones (the Restore Wizard's globe preview). */
    backupId: z.string().min(1).max(200).optional(),
  })
  .refine((q) => !(q.at && q.backupId), { message: 'give at or backupId, not both' })
  .strict();
export type ListLocationsQuery = z.infer<typeof listLocationsQuery>;
