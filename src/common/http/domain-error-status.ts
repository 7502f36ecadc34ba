import { DomainErrorCode } from '../../domain/domain-errors';

/** The HTTP status each domain refusal is answered with (the domain itself speaks no HTTP). */
export const DOMAIN_ERROR_STATUS: Record<DomainErrorCode, number> = {
  'DATASET.NOT_FOUND': 404,
  'LOCATION.NOT_FOUND': 404,
  'LOCATION.ID_TAKEN': 409,
  'CONFIGURATION.NOT_FOUND': 404,
};
