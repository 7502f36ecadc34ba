/**
 * What a script can trust: the exit code names the kind of outcome, stdout carries the answer (one
 * JSON document with --json), stderr carries progress and errors. The codes never change meaning.
 */
export const EXIT = {
  OK: 0,
  /** Anything else: a server error (5xx), a rate limit (429), a full disk (507), a bug. */
  ERROR: 1,
  /** Bad arguments or options, or input the server refused as invalid (400, 413, 422). */
  USAGE: 2,
  /** Refused: a missing, wrong or too weak token (401, 403), or a confirmation not given. */
  REFUSED: 3,
  NOT_FOUND: 4,
  /** The state forbids it now (409, 412): a stale preview, a job already running, a DATA_DIR in use. */
  CONFLICT: 5,
  /** No server answers at --url. */
  UNREACHABLE: 6,
  /** A job (backup, restore, import, …) or a check (verify) ran and failed, or was cancelled. */
  FAILED: 7,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODES_HELP = `
Exit codes:
  0  ok
  1  error (server error, rate limited, disk full)
  2  usage: bad arguments, or input the server refused as invalid (400, 422)
  3  refused: missing, wrong or too weak token (401, 403), or a confirmation not given
     (no TTY and no --yes, or answered no)
  4  not found (404)
  5  conflict (409): stale preview, a job already running, DATA_DIR in use by a server
  6  server unreachable
  7  a job or a check failed (or was cancelled)`;

/** A failure the CLI reports: its exit code, one line for people, and the server's error body when there is one. */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
    readonly body?: { code: string; message: string; details?: unknown },
  ) {
    super(message);
  }
}

export function exitCodeForStatus(status: number): ExitCode {
  if (status === 401 || status === 403) return EXIT.REFUSED;
  if (status === 404) return EXIT.NOT_FOUND;
  if (status === 409 || status === 412) return EXIT.CONFLICT;
  if (status === 400 || status === 413 || status === 422) return EXIT.USAGE;
  return EXIT.ERROR;
}

/** The exit code of an error thrown in this process by the application itself (offline restore): its AppError status. */
export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof CliError) return error.exitCode;
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' ? exitCodeForStatus(status) : EXIT.ERROR;
}

/**
 * What every list command answers with --json: the API's own page, `{items, next}` (`next` the
 * cursor of the following page, null when there is none), never a bare array, so a script reads
 * every list the same way and a list that gains paging keeps its shape.
 */
export interface Page<T> {
  items: T[];
  next: string | null;
}

export class Output {
  constructor(readonly json: boolean) {}

  /** The answer: `value` as JSON with --json, else what `human` makes of it. */
  result<T>(value: T, human: (value: T) => string): void {
    process.stdout.write(this.json ? `${JSON.stringify(value, null, 2)}\n` : `${human(value)}\n`);
  }

  /** A line for people on stderr (progress, notes): never mixed into a --json answer. */
  note(line: string): void {
    process.stderr.write(`${line}\n`);
  }

  /** Reports `error` on stderr (as JSON with --json) and answers its exit code. */
  failure(error: unknown): ExitCode {
    const code = exitCodeOf(error);
    const body = error instanceof CliError ? error.body : codeAndMessage(error);
    const message = error instanceof Error ? error.message : String(error);
    if (this.json) process.stderr.write(`${JSON.stringify({ exitCode: code, error: body ?? { code: 'CLI.ERROR', message } })}\n`);
    else process.stderr.write(`globe-vault: ${message}\n${body?.details === undefined ? '' : `  details: ${shortened(JSON.stringify(body.details))}\n`}`);
    return code;
  }
}

/** Details for people stay a few lines long (a failed import lists up to a thousand rows); --json has them all. */
const shortened = (text: string, max = 1500) => (text.length > max ? `${text.slice(0, max)}… (--json for all)` : text);

function codeAndMessage(error: unknown): { code: string; message: string; details?: unknown } | undefined {
  const e = error as { code?: unknown; message?: unknown; details?: unknown };
  return typeof e?.code === 'string' && typeof e.message === 'string' ? { code: e.code, message: e.message, details: e.details } : undefined;
}

/** A table of rows for people: columns padded to their widest cell. */
export function table(headers: string[], rows: (string | number | null)[][]): string {
  if (rows.length === 0) return '(none)';
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === null ? '-' : String(c))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  return cells.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}
