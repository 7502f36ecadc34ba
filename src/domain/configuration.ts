import { z } from 'zod';
import { isoTimeSchema } from './location';

/** The kinds of named configuration the Globe app saves. */
export const configurationKindSchema = z.enum(['camera-view', 'filter', 'layers', 'visualization', 'column-mapping', 'other']);

/** Values are the UI's own JSON; bounded so one configuration cannot grow the log without limit. */
export const configurationValueSchema = z.unknown().refine((v) => v !== undefined && JSON.stringify(v).length <= 256 * 1024, {
  message: 'a configuration value is JSON of at most 256 KiB',
});

export const configurationSchema = z.object({
  id: z.string().min(1).max(200),
  kind: configurationKindSchema,
  name: z.string().min(1).max(200),
  value: configurationValueSchema,
  created_at: isoTimeSchema,
  updated_at: isoTimeSchema,
});
export type Configuration = z.infer<typeof configurationSchema>;
