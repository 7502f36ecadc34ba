import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../common/app-error';
import { restoreScopeSchema, restoreTargetSchema } from '../domain/restore';

/**
 * What a preview promised: the state at `position` (asked for as `target`), for `scope`, compared
 * with the live state at `basePosition`. HMAC-signed, so a restore can trust it without storing
 * previews, and cannot be pointed at another target or scope by editing it.
 */
export const previewClaimsSchema = z.object({
  v: z.literal(1),
  target: restoreTargetSchema,
  position: z.number().int().min(0),
  scope: restoreScopeSchema,
  basePosition: z.number().int().min(0),
  issuedAt: z.string(),
});
export type PreviewClaims = z.infer<typeof previewClaimsSchema>;

export function signPreview(claims: PreviewClaims, secret: Buffer): string {
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

export function verifyPreview(token: string, secret: Buffer): PreviewClaims {
  const invalid = () => new AppError('RESTORE.INVALID_PREVIEW_TOKEN', 'the preview token is not one this service issued', 400);
  const parts = token.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw invalid();
  const [body, mac] = parts;
  const expected = createHmac('sha256', secret).update(body).digest();
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
  const parsed = previewClaimsSchema.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
  if (!parsed.success) throw invalid();
  return parsed.data;
}
