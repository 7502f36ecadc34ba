import { AppError } from '../common/app-error';

export const unauthenticated = (message: string) => new AppError('AUTH.UNAUTHENTICATED', message, 401);
export const forbidden = (message: string) => new AppError('AUTH.FORBIDDEN', message, 403);
export const hostNotAllowed = (host: string) =>
  new AppError('AUTH.HOST_NOT_ALLOWED', `this service does not answer to the host name "${host}" (ALLOWED_HOSTS lists the names it answers to)`, 403);
export const originNotAllowed = (origin: string) =>
  new AppError('AUTH.ORIGIN_NOT_ALLOWED', `requests from the web origin ${origin} may not change anything here (CORS_ORIGINS lists the origins that may)`, 403);
export const csrfRefused = () =>
  new AppError('AUTH.CSRF', 'a form-like request (text/plain, form or multipart) must carry an Authorization header or a custom header such as X-Source', 403);
export const rateLimited = (what: string) => new AppError('RATE.LIMITED', `too many ${what}; try again in a minute`, 429);
