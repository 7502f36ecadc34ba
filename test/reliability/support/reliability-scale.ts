/**
 * One implementation, two sizes: the quick bounded run of `npm test` and the full one of
 * `npm run bench -- reliability` (or `RELIABILITY_FULL=1 npx jest test/reliability`).
 */
export const FULL_RUN = process.env.RELIABILITY_FULL === '1';

/** The quick size under `npm test`, the full one when RELIABILITY_FULL=1. */
export const sized = <T>(quick: T, full: T): T => (FULL_RUN ? full : quick);

/** The seed of every scenario's PRNG (RELIABILITY_SEED to replay another run). */
export const RELIABILITY_SEED = Number(process.env.RELIABILITY_SEED ?? 20261203);
