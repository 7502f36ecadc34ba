import { z } from 'zod';

/**
 * Where the log lives (README "Past one machine"): `sqlite`, the embedded default in DATA_DIR;
 * `postgres`, a PostgreSQL database at DATABASE_URL; `kurrentdb`, a KurrentDB (EventStoreDB)
 * server at KURRENTDB_URL. Read models, jobs and catalogs go to PostgreSQL whenever DATABASE_URL is
 * set with a non-SQLite log, else to SQLite in DATA_DIR.
 */
export const EVENT_STORE_KINDS = ['sqlite', 'postgres', 'kurrentdb'] as const;
export type EventStoreKind = (typeof EVENT_STORE_KINDS)[number];

const POSTGRES_SCHEMES = ['postgres:', 'postgresql:'];
/** The connection-string schemes @kurrent/kurrentdb-client parses (single node, or cluster discovery). */
const KURRENTDB_SCHEMES = ['kurrentdb:', 'kurrentdb+discover:', 'kurrent:', 'kurrent+discover:', 'kdb:', 'kdb+discover:', 'esdb:', 'esdb+discover:'];

/**
 * A connection string with one of `schemes` and a host, else one issue naming what was expected.
 * Only the scheme is parsed here (a KurrentDB string may list several hosts, `a:2113,b:2113`, which
 * is no WHATWG URL); the driver parses the rest when it connects.
 */
const urlWithScheme = (schemes: string[], expected: string) =>
  z.string().superRefine((value, ctx) => {
    const scheme = /^([a-z][a-z0-9+.-]*:)\/\/[^/?#]/i.exec(value.trim())?.[1].toLowerCase();
    if (!scheme) ctx.addIssue({ code: 'custom', message: `not a connection string: expected ${expected}` });
    else if (!schemes.includes(scheme)) ctx.addIssue({ code: 'custom', message: `the scheme ${scheme}// is not one of ${schemes.map((s) => `${s}//`).join(', ')}: expected ${expected}` });
  });

export const eventStoreVariables = {
  EVENT_STORE: z.enum(EVENT_STORE_KINDS, { message: `expected one of ${EVENT_STORE_KINDS.join(', ')}` }).default('sqlite'),
  /** PostgreSQL: the log with EVENT_STORE=postgres (required then); read models, jobs and catalogs with any non-SQLite log. */
  DATABASE_URL: urlWithScheme(POSTGRES_SCHEMES, 'postgres://user:password@host:5432/database').optional(),
  /** KurrentDB: required with EVENT_STORE=kurrentdb, e.g. `kurrentdb://kurrentdb:2113?tls=false`. */
  KURRENTDB_URL: urlWithScheme(KURRENTDB_SCHEMES, 'kurrentdb://host:2113?tls=false (or esdb://, esdb+discover://, kurrentdb+discover://)').optional(),
};

/** Each non-default log names the server it needs: a missing one stops the start-up naming the variable. */
export const eventStoreHasItsServer = (v: { EVENT_STORE?: EventStoreKind; DATABASE_URL?: string; KURRENTDB_URL?: string }, ctx: z.RefinementCtx) => {
  if (v.EVENT_STORE === 'postgres' && !v.DATABASE_URL) {
    ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'required with EVENT_STORE=postgres (postgres://user:password@host:5432/database)' });
  }
  if (v.EVENT_STORE === 'kurrentdb' && !v.KURRENTDB_URL) {
    ctx.addIssue({ code: 'custom', path: ['KURRENTDB_URL'], message: 'required with EVENT_STORE=kurrentdb (kurrentdb://host:2113?tls=false)' });
  }
};

/** A follower applies the archive by adopting its history, which the KurrentDB log refuses (EVENTS.UNSUPPORTED): refused at start-up instead. */
export const kurrentDbDoesNotFollow = (v: { EVENT_STORE?: EventStoreKind; ARCHIVE_FOLLOW?: unknown }, ctx: z.RefinementCtx) => {
  if (v.EVENT_STORE === 'kurrentdb' && v.ARCHIVE_FOLLOW !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['ARCHIVE_FOLLOW'], message: 'a follower adopts the archive\'s history, which the KurrentDB log cannot: follow with EVENT_STORE=sqlite or postgres' });
  }
};

/** Whether read models, jobs and catalogs live in PostgreSQL (DATABASE_URL with a non-SQLite log) rather than in DATA_DIR. */
export const readModelsInPostgres = (v: { EVENT_STORE: EventStoreKind; DATABASE_URL?: string }): boolean =>
  v.EVENT_STORE !== 'sqlite' && v.DATABASE_URL !== undefined;
