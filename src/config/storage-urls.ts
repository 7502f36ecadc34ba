import { z } from 'zod';

/**
 * A storage named by a URL: `file:<dir>`, `s3://<bucket>/<prefix>` or `rclone:<remote>:<path>`.
 * Parsed once at start-up (BACKUP_STORAGE; the archive's ARCHIVE_STORAGE and ARCHIVE_FOLLOW use
 * the same grammar), so a typo stops the service with a message naming the form expected.
 */
export type StorageUrl =
  | { kind: 'file'; url: string; dir: string }
  | { kind: 's3'; url: string; bucket: string; prefix: string }
  | { kind: 'rclone'; url: string; remote: string; path: string };

/** S3's bucket naming rules (3-63 lowercase letters, digits, dots, hyphens). */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** A prefix is `/`-separated safe segments; it is stored without leading or trailing `/`. */
const PREFIX_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;
/** An rclone remote name (rclone's own rule) or an on-the-fly backend such as `:local`. */
const RCLONE_REMOTE = /^:?[A-Za-z0-9_][A-Za-z0-9_. -]*$/;

export const STORAGE_URL_FORMS = 'file:<dir>, s3://<bucket>/<prefix> or rclone:<remote>:<path>';

/** Parses one storage URL; the message of a refusal says what is wrong with it. */
export function parseStorageUrl(raw: string): { ok: true; value: StorageUrl } | { ok: false; message: string } {
  const url = raw.trim();
  if (url.startsWith('file:')) {
    const dir = url.slice('file:'.length);
    return dir ? { ok: true, value: { kind: 'file', url, dir } } : { ok: false, message: `${url}: file: needs a directory (file:<dir>)` };
  }
  if (url.startsWith('s3://')) {
    const [bucket, ...rest] = url.slice('s3://'.length).split('/');
    if (!BUCKET.test(bucket)) return { ok: false, message: `${url}: "${bucket}" is not an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)` };
    const segments = rest.filter((s) => s !== '');
    const bad = segments.find((s) => !PREFIX_SEGMENT.test(s) || s.includes('..'));
    if (bad !== undefined) return { ok: false, message: `${url}: the prefix segment "${bad}" may hold only letters, digits, '.', '_' and '-'` };
    return { ok: true, value: { kind: 's3', url, bucket, prefix: segments.join('/') } };
  }
  if (url.startsWith('rclone:')) {
    const rest = url.slice('rclone:'.length);
    const colon = rest.indexOf(':', rest.startsWith(':') ? 1 : 0);
    if (colon <= 0) return { ok: false, message: `${url}: expected rclone:<remote>:<path> (a remote from \`rclone config\`, e.g. rclone:gdrive:globe-vault)` };
    const remote = rest.slice(0, colon);
    if (!RCLONE_REMOTE.test(remote)) return { ok: false, message: `${url}: "${remote}" is not an rclone remote name` };
    const path = rest.slice(colon + 1).replace(/\/+$/, '');
    if (path.split('/').some((s) => s === '..')) return { ok: false, message: `${url}: the path may not contain ".."` };
    return { ok: true, value: { kind: 'rclone', url, remote, path } };
  }
  return { ok: false, message: `"${url}" is not a storage URL: expected ${STORAGE_URL_FORMS}` };
}

/** A comma-separated list of storage URLs, the first being the primary; every URL distinct. */
export const storageUrlListSchema = z.string().transform((value, ctx): StorageUrl[] => {
  const urls: StorageUrl[] = [];
  const parts = value.split(',').filter((p) => p.trim() !== '');
  for (const part of parts) {
    const parsed = parseStorageUrl(part);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
    else urls.push(parsed.value);
  }
  if (parts.length === 0) ctx.addIssue({ code: 'custom', message: `expected ${STORAGE_URL_FORMS}, comma-separated` });
  if (new Set(urls.map((u) => u.url)).size !== urls.length) ctx.addIssue({ code: 'custom', message: 'a storage is listed twice' });
  return urls;
});

/** One storage URL, or `off` (for a setting whose default may be turned off). */
/** One storage URL. */
export const storageUrlSchema = z.string().transform((value, ctx): StorageUrl => {
  const parsed = parseStorageUrl(value);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: parsed.message });
    return z.NEVER;
  }
  return parsed.value;
});

export const storageUrlOrOffSchema = z.string().transform((value, ctx): StorageUrl | 'off' => {
  if (value.trim() === 'off') return 'off';
  const parsed = parseStorageUrl(value);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: `${parsed.message} (or "off")` });
    return z.NEVER;
  }
  return parsed.value;
});
