/**
 * One implementation, two sizes: the quick bounded run of `npm test` and the full one of
 * `npm run bench -- reliability` (or `RELIABILITY_FULL=1 npx jest test/reliability`).
 */
export const RELIABILITY_SIZES = {
  quick: { kills: 5, requests: 1000, loadSeconds: 10, loadSeedRows: 20_000 },
  full: { kills: 50, requests: 20_000, loadSeconds: 60, loadSeedRows: 200_000 },
};

export const FULL_RUN = process.env.RELIABILITY_FULL === '1';

/** The sizes of this run: quick under `npm test`, full when RELIABILITY_FULL=1. */
export const RELIABILITY_SIZE = FULL_RUN ? RELIABILITY_SIZES.full : RELIABILITY_SIZES.quick;

/** The quick value under `npm test`, the full one when RELIABILITY_FULL=1 (timeouts, logging). */
export const sized = <T>(quick: T, full: T): T => (FULL_RUN ? full : quick);

/** The seed of every scenario's PRNG (RELIABILITY_SEED to replay another run). */
export const RELIABILITY_SEED = Number(process.env.RELIABILITY_SEED ?? 20261203);
