import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_RETRY_POLICY, parseRetryAfter, retryDelay } from "../../infra/graph/retry-policy";

describe("Graph retry policy", () => {
  it("honours Retry-After seconds on 429", () => {
    assert.equal(retryDelay({ status: 429, retryAfter: "7", attempt: 1, mayLagReplication: false }), 7000);
  });

  it("backs off exponentially on 429 without Retry-After", () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100 };
    assert.equal(retryDelay({ status: 429, attempt: 1, mayLagReplication: false }, policy), 100);
    assert.equal(retryDelay({ status: 429, attempt: 3, mayLagReplication: false }, policy), 400);
  });

  it("retries 403/404/409 only when the object was just created", () => {
    for (const status of [403, 404, 409]) {
      assert.equal(retryDelay({ status, attempt: 1, mayLagReplication: false }), undefined);
      assert.equal(typeof retryDelay({ status, attempt: 1, mayLagReplication: true }), "number");
    }
  });

  it("never retries a 400 and stops after the last attempt", () => {
    assert.equal(retryDelay({ status: 400, attempt: 1, mayLagReplication: true }), undefined);
    const last = DEFAULT_RETRY_POLICY.maxAttempts;
    assert.equal(retryDelay({ status: 429, attempt: last, mayLagReplication: false }), undefined);
  });

  it("reads Retry-After as an HTTP date", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    assert.equal(parseRetryAfter("Thu, 01 Jan 2026 00:00:05 GMT", now), 5000);
    assert.equal(parseRetryAfter("garbage", now), undefined);
  });
});
