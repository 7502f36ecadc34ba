import { AppError } from '../common/app-error';

/** Refusals of the domain: plain TypeScript, mapped to HTTP by the one exception filter. */
export const datasetNotFound = (id: string) => new AppError('DATASET.NOT_FOUND', `dataset ${id} does not exist`, 404, { id });
export const locationNotFound = (id: string) => new AppError('LOCATION.NOT_FOUND', `location ${id} does not exist`, 404, { id });
export const locationIdTaken = (id: string) =>
  new AppError('LOCATION.ID_TAKEN', `a location with id ${id} already exists`, 409, { id });
export const configurationNotFound = (id: string) =>
  new AppError('CONFIGURATION.NOT_FOUND', `configuration ${id} does not exist`, 404, { id });
