/**
 * The environment every reliability harness gives its server: the harnesses send thousands of
 * heavy requests (imports, uploads, backups) a minute from one address, far past what the
 * per-client rate limits allow a real client. The limits are raised here, for the harness only,
 * so what a run measures is the service's behaviour, not 429s; the defaults stay as they are.
 */
export const RELIABILITY_SERVER_ENV: Record<string, string> = {
  RATE_LIMIT_HEAVY_PER_MINUTE: '1000000',
  RATE_LIMIT_TOKENS_PER_MINUTE: '1000000',
  RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '1000000',
};
