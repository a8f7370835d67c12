/** Retry timing of the webhook outbox: exponential from `baseMs`, at most `maxMs`. */
export interface WebhookBackoff {
  readonly baseMs: number;
  readonly maxMs: number;
}

/**
 * The wait after `failedAttempts` failed attempts (1 or more) before the next one:
 * `baseMs · 2^(failedAttempts-1)`, capped at `maxMs`. Deterministic: a receiver (and a test) can
 * tell when the next attempt comes; messages spread by when their events happened.
 */
export function webhookRetryDelayMs(failedAttempts: number, backoff: WebhookBackoff): number {
  return Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, failedAttempts - 1));
}

/** What an attempt's HTTP status means: 2xx delivered; anything else (3xx included) is a failure to retry. */
export function isDelivered(status: number): boolean {
  return status >= 200 && status < 300;
}
