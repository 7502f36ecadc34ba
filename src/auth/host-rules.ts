import { isIP } from 'node:net';

/** 127.0.0.0/8, ::1 and localhost: names that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (isIP(name) === 4) return name.startsWith('127.');
  return name === '::1' || name === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(name);
}

/** The name part of a Host header (`[::1]:3000` → `::1`), lower-cased; null when there is none. */
export function hostName(hostHeader: string | undefined): string | null {
  if (!hostHeader) return null;
  const match = /^(\[[^\]]+\]|[^:]+)(?::\d+)?$/.exec(hostHeader.trim());
  return match ? match[1].replace(/^\[|\]$/g, '').toLowerCase() : null;
}

export interface OriginPolicy {
  /** Check the Host header (loopback names and ALLOWED_HOSTS only): on a loopback HOST, or whenever ALLOWED_HOSTS is set. */
  checkHost: boolean;
  allowedHosts: readonly string[];
  corsOrigins: readonly string[];
}

/** Whether a request's Host header names this service: a DNS-rebinding page reaches it under its own name. */
export function hostAllowed(policy: OriginPolicy, hostHeader: string | undefined): boolean {
  if (!policy.checkHost) return true;
  const name = hostName(hostHeader);
  return name !== null && (isLoopbackHost(name) || policy.allowedHosts.includes(name));
}

/**
 * Whether a browser request from `origin` may be served: no Origin (not a browser, or a same-origin
 * GET), the service's own origin (same host and port as the Host header; the scheme is not
 * compared, since a TLS proxy in front changes it), or one CORS_ORIGINS lists. `null` (sandboxed
 * frames, files) is foreign.
 */
export function originAllowed(policy: OriginPolicy, origin: string | undefined, hostHeader: string | undefined): boolean {
  if (origin === undefined) return true;
  if (policy.corsOrigins.includes(origin)) return true;
  try {
    return hostHeader !== undefined && new URL(origin).host === hostHeader.toLowerCase();
  } catch {
    return false;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const SIMPLE_TYPES = new Set(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']);
/** A header no HTML form can set and a cross-site fetch cannot send without a CORS preflight. */
const CUSTOM_HEADERS = ['authorization', 'x-actor', 'x-source', 'x-requested-with', 'x-reason', 'x-request-id'];

export const changesState = (method: string): boolean => !SAFE_METHODS.has(method.toUpperCase());

/**
 * A state-changing request a web page could send without a preflight (a form post, a text/plain
 * fetch): refused unless it carries a header only a script allowed by CORS, or a non-browser
 * client, can set. JSON bodies need a preflight already; so do the UI's uploads (X-Source).
 */
export function isCsrfAble(method: string, headers: Record<string, string | string[] | undefined>): boolean {
  if (!changesState(method)) return false;
  const type = String(headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (!SIMPLE_TYPES.has(type)) return false;
  return !CUSTOM_HEADERS.some((name) => headers[name] !== undefined);
}
