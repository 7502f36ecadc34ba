import { AppError } from '../common/app-error';

export const jobNotFound = (id: string) => new AppError('JOB.NOT_FOUND', `job ${id} does not exist`, 404, { id });
export const jobAlreadyRunning = (kind: string, jobId: string) =>
  new AppError('JOB.ALREADY_RUNNING', `a ${kind} job is already running`, 409, { kind, jobId });
export const jobNotCancellable = (id: string, state: string) =>
  new AppError('JOB.NOT_CANCELLABLE', `job ${id} cannot be cancelled now (${state})`, 409, { id, state });
export class JobCancelledError extends AppError {
  constructor(id: string) {
    super('JOB.CANCELLED', `job ${id} was cancelled`, 409, { id });
  }
}
