/**
 * Every failure the client reports: the server's `{code, message, details}` with the HTTP status,
 * a job that ended failed or cancelled (status 0, the job's own error code), or no answer at all
 * (`NETWORK.UNREACHABLE`). Callers branch on `code`, which is stable (`DATASET.NOT_FOUND`,
 * `AUTH.FORBIDDEN`, `RESTORE.PREVIEW_STALE`, …); the message is for people.
 */
export class GlobeVaultError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'GlobeVaultError';
  }
}

export const isGlobeVaultError = (error: unknown, code?: string): error is GlobeVaultError =>
  error instanceof GlobeVaultError && (code === undefined || error.code === code);

/** The error an answer carries: the server's stable code when it sent one, else `HTTP.<status>`. */
export function errorOfAnswer(response: Response, body: unknown): GlobeVaultError {
  const err = (typeof body === 'object' && body !== null ? body : {}) as { code?: unknown; message?: unknown; details?: unknown };
  return new GlobeVaultError(
    response.status,
    typeof err.code === 'string' ? err.code : `HTTP.${response.status}`,
    typeof err.message === 'string' ? err.message : response.statusText || `HTTP ${response.status}`,
    err.details,
  );
}

export const unreachable = (url: string, cause: unknown): GlobeVaultError =>
  new GlobeVaultError(0, 'NETWORK.UNREACHABLE', `Globe Vault at ${url} did not answer: ${cause instanceof Error ? cause.message : String(cause)}`);
