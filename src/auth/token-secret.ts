import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new token: a recognisable prefix (secret scanners key on it) and 256 random bits. */
export const mintToken = (): string => `gv_${randomBytes(32).toString('base64url')}`;

/** What is stored and looked up instead of a token. */
export const tokenHash = (secret: Buffer, token: string): Buffer => createHmac('sha256', secret).update(token, 'utf8').digest();

/** Constant time: how much of a presented token matches a known one is not measurable. */
export const sameHash = (a: Buffer, b: Buffer): boolean => a.length === b.length && timingSafeEqual(a, b);
