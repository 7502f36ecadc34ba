import { z } from 'zod';
import { sameType } from '../../common/http/api-answer';
import { Location, locationSchema } from '../../domain/location';

/** A location as the API answers it (OpenAPI `Location`): the domain's location and its dataset. */
export const locationAnswer = locationSchema.extend({ datasetId: z.string() }).strict();
sameType<z.infer<typeof locationAnswer>, Location>(true);
