import { z } from 'zod';
import { AppError } from '../app-error';
import { IssueDetail, zodIssues } from '../zod-issues';

/**
 * Parses untrusted input (a body, a query, a header) or throws a 400 whose `code` is stable for the
 * endpoint: a string, or a function choosing one from the issues (so bad coordinates can say
 * LOCATION.INVALID_COORDINATES rather than a generic code).
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, code: string | ((issues: IssueDetail[]) => string)): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = zodIssues(parsed.error);
  const chosen = typeof code === 'string' ? code : code(issues);
  const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  throw new AppError(chosen, `invalid input: ${summary}`, 400, issues);
}
