import { z } from 'zod';

export interface IssueDetail {
  path: string;
  message: string;
}

/** zod issues in the flat shape every 400 carries in `details`: where, and what is wrong there. */
export function zodIssues(error: z.ZodError): IssueDetail[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}
