import { z } from 'zod';
import { sameType } from '../../common/http/api-answer';
import { datasetSchema } from '../../domain/dataset';
import type { DatasetView } from './dataset.queries';

/** A dataset as the API answers it (OpenAPI `Dataset`): the domain's dataset and how many locations it holds. */
export const datasetAnswer = datasetSchema.extend({ locationCount: z.number().int().min(0) }).strict();
sameType<z.infer<typeof datasetAnswer>, DatasetView>(true);
