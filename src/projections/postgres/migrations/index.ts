import { InitialSchema1764806400000 } from './1764806400000-initial-schema';

/** Every migration, oldest first: TypeORM runs the ones a database has not recorded, at start-up. */
export const READ_MODEL_MIGRATIONS = [InitialSchema1764806400000];
