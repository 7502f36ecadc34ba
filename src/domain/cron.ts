import { z } from 'zod';

interface CronField {
  name: string;
  min: number;
  max: number;
  /** Names standing for numbers, lower case (`jan` = 1, `sun` = 0). */
  names?: readonly string[];
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const SECOND: CronField = { name: 'second', min: 0, max: 59 };
const FIVE_FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  // 7 is Sunday too, as the scheduler reads it
  { name: 'day of week', min: 0, max: 7, names: DAYS },
];

/** `*`, a value or a range, with an optional step: `*`, `5`, `1-5`, `mon-fri`, `*\/15`, `0-30/10`, `2/5`. */
const ITEM = /^(?:(\*)|([0-9]{1,2}|[a-z]{3})(?:-([0-9]{1,2}|[a-z]{3}))?)(?:\/([0-9]{1,2}))?$/i;

/**
 * Why a cron expression is not one the scheduler can run, or null when it is. Accepted: 5 fields
 * (minute hour day-of-month month day-of-week) or 6 (seconds first), separated by spaces; each
 * field a comma-separated list of `*`, values and ranges, each with an optional `/step`; month and
 * day-of-week names (jan…dec, sun…sat) in those two fields. Every expression accepted here is
 * accepted by the `cron` package that runs schedules (cron.spec.ts checks a table against it); a
 * few it would also take (`@daily`, names in other fields) are refused, so what is stored reads the
 * same in any cron dialect.
 */
export function cronProblem(expression: string): string | null {
  const parts = expression.trim().split(/ +/);
  if (parts.length !== 5 && parts.length !== 6) return `a cron expression has 5 or 6 fields, not ${parts.length}`;
  const fields = parts.length === 6 ? [SECOND, ...FIVE_FIELDS] : FIVE_FIELDS;
  for (let i = 0; i < fields.length; i++) {
    const problem = fieldProblem(parts[i], fields[i]);
    if (problem) return `${fields[i].name} "${parts[i]}": ${problem}`;
  }
  return null;
}

function fieldProblem(text: string, field: CronField): string | null {
  for (const item of text.split(',')) {
    const match = ITEM.exec(item);
    if (!match) return `"${item}" is not *, a value or a range, with an optional /step`;
    const [, star, fromText, toText, stepText] = match;
    if (stepText !== undefined && Number(stepText) === 0) return 'a step of 0 never advances';
    if (star) continue;
    const from = valueOf(fromText, field);
    const to = toText === undefined ? from : valueOf(toText, field);
    if (from === null || to === null) return `values are ${field.min}-${field.max}${field.names ? ` or ${field.names[0]}…${field.names.at(-1)}` : ''}`;
    if (from > to) return `the range ${item} runs backwards`;
  }
  return null;
}

function valueOf(text: string, field: CronField): number | null {
  const named = field.names?.indexOf(text.toLowerCase()) ?? -1;
  const value = named >= 0 ? named + (field.name === 'month' ? 1 : 0) : /^[0-9]+$/.test(text) ? Number(text) : NaN;
  return value >= field.min && value <= field.max ? value : null;
}

/** A cron expression the scheduler can run (see cronProblem). */
export const cronExpressionSchema = z
  .string()
  .max(100)
  .superRefine((value, ctx) => {
    const problem = cronProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
