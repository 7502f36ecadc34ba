/**
 * Every failure a client can cause or see is an AppError with a stable code
 * (`AREA.REASON`), an HTTP status and optional details. The one exception filter
 * maps it to `{code, message, details}`; codes never change once published.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (code: string, message: string, details?: unknown) => new AppError(code, message, 404, details);
export const conflict = (code: string, message: string, details?: unknown) => new AppError(code, message, 409, details);
export const badRequest = (code: string, message: string, details?: unknown) => new AppError(code, message, 400, details);
