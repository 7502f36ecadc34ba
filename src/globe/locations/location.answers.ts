import { z } from 'zod';
import { sameType } from '../../common/http/api-answer';
import { Location, locationSchema } from '../../domain/location';

/**
 * A location as the API answers it (OpenAPI `Location`): the domain's location and its dataset.
 * `properties` is said as a JSON object here (the domain checks it by hand, which JSON Schema cannot show).
 */
export const locationAnswer = locationSchema.extend({ datasetId: z.string(), properties: z.record(z.string(), z.unknown()) }).strict();
sameType<z.infer<typeof locationAnswer>, Location>(true);
