import { z } from 'zod';
import { atQuery } from '../../recovery/time-travel';
import { colorSchema, columnMappingSchema, datasetChangesSchema } from '../../domain/dataset';

export const createDatasetBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    description: z.string().max(5000).optional(),
    color: colorSchema.optional(),
    visible: z.boolean().optional(),
    columnMapping: columnMappingSchema.optional(),
  })
  .strict();
export type CreateDatasetBody = z.infer<typeof createDatasetBody>;

export const updateDatasetBody = datasetChangesSchema
  .extend({ name: z.string().trim().min(1).max(200).optional() })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'name at least one field to change');
export type UpdateDatasetBody = z.infer<typeof updateDatasetBody>;

export const listDatasetsQuery = z
  .object({ at: atQuery, backupId: z.string().min(1).max(200).optional() })
  .strict()
  .refine((q) => !(q.at && q.backupId), { message: 'give at or backupId, not both' });
