import { z } from 'zod';
import { configurationKindSchema, configurationValueSchema } from '../../domain/configuration';

export const configurationIdParam = z.string().min(1).max(200).regex(/^[A-Za-z0-9._~-]+$/, 'ids use letters, digits and . _ ~ -');

export const saveConfigurationBody = z
  .object({ kind: configurationKindSchema, name: z.string().trim().min(1).max(200), value: configurationValueSchema })
  .strict();
export type SaveConfigurationBody = z.infer<typeof saveConfigurationBody>;
