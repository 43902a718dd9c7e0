/**
 * When to retry a Graph call and how long to wait. Pure so it can be tested without a clock.
 *
 * - 429 (and 503/504): Graph throttling; honour `Retry-After` (seconds) when present
 *   (https://learn.microsoft.com/graph/throttling).
 * - 403/404/409 right after creating an app, a service principal or an assignment: directory
 *   replication lag. terraform-provider-azuread retries these for minutes; there is no documented SLA
 *   (../shared/docs/graph-provisioning.md, "Consistency, retries, limits"). Only retried when the caller
 *   says the object was just created, so a real 404 on refresh is reported at once.
 */
export interface RetryPolicy {
  /** Attempts in total, the first included. */
  readonly maxAttempts: number;
  /** First backoff; doubles every attempt. */
  readonly baseDelayMs: number;
  /** Ceiling for one backoff (Retry-After may ask for longer and is honoured up to maxRetryAfterMs). */
  readonly maxDelayMs: number;
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 2000,
  maxDelayMs: 60_000,
  maxRetryAfterMs: 300_000,
};

const THROTTLING_STATUSES = new Set([429, 503, 504]);
const REPLICATION_STATUSES = new Set([403, 404, 409]);

export interface FailedAttempt {
  readonly status: number;
  /** Raw `Retry-After` header, if any. */
  readonly retryAfter?: string | null;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** The object this call touches was created moments ago (replication may lag). */
  readonly mayLagReplication: boolean;
}

/** Milliseconds to wait before the next attempt, or `undefined` when the error should surface now. */
export function retryDelay(
  failure: FailedAttempt,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): number | undefined {
  if (failure.attempt >= policy.maxAttempts) return undefined;
  const retryable =
    THROTTLING_STATUSES.has(failure.status) ||
    (failure.mayLagReplication && REPLICATION_STATUSES.has(failure.status));
  if (!retryable) return undefined;
  const backoff = Math.min(policy.baseDelayMs * 2 ** (failure.attempt - 1), policy.maxDelayMs);
  const asked = parseRetryAfter(failure.retryAfter);
  return asked === undefined ? backoff : Math.min(Math.max(asked, 0), policy.maxRetryAfterMs);
}

/** `Retry-After` is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(
  header: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (header === undefined || header === null || header.trim() === "") return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(date - now, 0);
}
