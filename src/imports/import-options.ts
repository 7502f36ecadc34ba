import { z } from 'zod';
import { colorSchema } from '../domain/dataset';
import { IMPORT_ENCODINGS } from './parsing/text-encoding';

const queryBoolean = z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')]);

/**
 * The Globe app's import options. `skipInvalidRows` false (the default): a file with any bad row is
 * reported row by row and nothing is written. `duplicateHandling`, for records whose id exists
 * already (in any dataset, or earlier in the same file): skip the record, replace the existing
 * location with it, or allow it under a newly minted id.
 */
export const importOptionsSchema = z
  .object({
    skipInvalidRows: queryBoolean.default(false),
    duplicateHandling: z.enum(['skip', 'replace', 'allow']).default('skip'),
    fileName: z.string().trim().min(1).max(500).optional(),
    format: z.enum(['csv', 'json', 'geojson']).optional(),
    /** How the file's bytes are text; anything not UTF-8 under the default fails with IMPORT.ENCODING. */
    encoding: z.enum(IMPORT_ENCODINGS).default('utf-8'),
  })
  .strict();
export type ImportOptions = z.infer<typeof importOptionsSchema>;

/**
 * `POST /api/datasets/import?name=…`: the same options, plus the new dataset the file becomes. The
 * dataset and its rows are one append, so a refused file leaves no empty dataset behind.
 */
export const newDatasetImportSchema = importOptionsSchema
  .extend({
    name: z.string().trim().min(1).max(200),
    description: z.string().max(5000).optional(),
    color: colorSchema.optional(),
  })
  .strict();

/** The dataset an import into a new dataset creates, as `CreateDataset` takes it. */
export interface NewDataset {
  id: string;
  name: string;
  description?: string;
  color?: string;
}

/** Row errors kept in a failed import's report; the count is always exact. */
export const MAX_REPORTED_ROW_ERRORS = 1000;
