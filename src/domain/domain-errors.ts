/**
 * Refusals of the domain: a stable code (`AREA.REASON`, never changed once published), a message and
 * details, and no transport. Which HTTP status a code is answered with is the HTTP layer's business
 * (common/http/domain-error-status.ts, one entry per code: a new code does not compile until mapped).
 */
export type DomainErrorCode = 'DATASET.NOT_FOUND' | 'LOCATION.NOT_FOUND' | 'LOCATION.ID_TAKEN' | 'CONFIGURATION.NOT_FOUND';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const datasetNotFound = (id: string) => new DomainError('DATASET.NOT_FOUND', `dataset ${id} does not exist`, { id });
export const locationNotFound = (id: string) => new DomainError('LOCATION.NOT_FOUND', `location ${id} does not exist`, { id });
export const locationIdTaken = (id: string) => new DomainError('LOCATION.ID_TAKEN', `a location with id ${id} already exists`, { id });
export const configurationNotFound = (id: string) => new DomainError('CONFIGURATION.NOT_FOUND', `configuration ${id} does not exist`, { id });
