import { z } from 'zod';
import { isoTimeSchema } from './location';

export const colorSchema = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour is #rrggbb');

/** Which column of the source feeds which visual channel of the globe (the Globe app's column mapping). */
export const columnMappingSchema = z.object({
  quantity: z.string().max(200).nullable().optional(),
  size: z.string().max(200).nullable().optional(),
  color: z.string().max(200).nullable().optional(),
  label: z.string().max(200).nullable().optional(),
  flightPath: z.string().max(200).nullable().optional(),
});
export type ColumnMapping = z.infer<typeof columnMappingSchema>;

export const importFormatSchema = z.enum(['csv', 'json', 'geojson']);
export const datasetSourceSchema = z.object({ fileName: z.string().max(500).nullable(), format: importFormatSchema });

export const datasetSchema = z.object({
  id: z.string().min(1).max(200),
  name: z.string().min(1).max(200),
  description: z.string().max(5000),
  color: colorSchema,
  visible: z.boolean(),
  source: datasetSourceSchema.nullable(),
  columnMapping: columnMappingSchema,
  created_at: isoTimeSchema,
  updated_at: isoTimeSchema,
});
export type Dataset = z.infer<typeof datasetSchema>;

/** The fields a user may change on a dataset after creating it. */
export const datasetChangesSchema = datasetSchema
  .pick({ name: true, description: true, color: true, visible: true, columnMapping: true })
  .partial();
export type DatasetChanges = z.infer<typeof datasetChangesSchema>;

export const DEFAULT_DATASET_COLOR = '#3b82f6';
