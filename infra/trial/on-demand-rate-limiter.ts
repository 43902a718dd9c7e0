/**
 * Entra's provision-on-demand limit: 5 requests per 10 seconds
 * (../shared/docs/graph-provisioning.md, "Provision on demand"). A token bucket whose tokens come back
 * exactly 10 s after they were spent: a bucket that refills continuously (one token every 2 s) would
 * let a 6th request through 2 s after a burst of 5 — 6 in one 10 s window, which Entra answers with 429.
 * Clock and sleep are injectable so tests can watch the timing without waiting on a wall clock.
 */
export interface RateLimiterOptions {
  /** @default 5 */
  readonly requests?: number;
  /** @default 10_000 */
  readonly windowMs?: number;
  readonly now?: () => number;
  readonly sleep?: (milliseconds: number) => Promise<void>;
}

export interface RateLimiter {
  /** Resolves when one more request may be sent now, and spends its token. */
  acquire(): Promise<void>;
}

export function createOnDemandRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  const requests = options.requests ?? 5;
  const windowMs = options.windowMs ?? 10_000;
  const now = options.now ?? Date.now;
  const sleep =
    options.sleep ?? ((milliseconds) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds)));
  // When each spent token comes back; at most `requests` entries, oldest first.
  const spent: number[] = [];
  let queue: Promise<void> = Promise.resolve();

  async function takeToken(): Promise<void> {
    for (;;) {
      const current = now();
      while (spent.length > 0 && spent[0] <= current) spent.shift();
      if (spent.length < requests) {
        // A small margin: Entra counts by its own clock, after network latency.
        spent.push(current + windowMs + 50);
        return;
      }
      await sleep(spent[0] - current);
    }
  }

  return {
    acquire() {
      // Callers are served in order, one at a time, so concurrent callers cannot both take the last token.
      const turn = queue.then(takeToken);
      queue = turn.catch(() => undefined);
      return turn;
    },
  };
}
