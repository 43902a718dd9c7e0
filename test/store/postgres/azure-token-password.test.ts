import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AccessToken, TokenCredential } from "@azure/identity";
import { StoreUnavailableError } from "../../../src/store/contract";
import { AZURE_POSTGRES_SCOPE, tokenPassword } from "../../../src/store/postgres/azure-token-password";

const MINUTE = 60_000;

/** A credential whose tokens expire an hour after the fake clock's "now", counting requests. */
class ScriptedCredential implements TokenCredential {
  requests = 0;
  failing = false;
  constructor(private readonly clock: { now: number }) {}
  async getToken(scopes: string | string[]): Promise<AccessToken> {
    assert.deepEqual([scopes].flat(), [AZURE_POSTGRES_SCOPE]);
    this.requests += 1;
    await new Promise((resolve) => setImmediate(resolve));
    if (this.failing) throw new Error("IMDS unreachable");
    return { token: `token-${this.requests}`, expiresOnTimestamp: this.clock.now + 60 * MINUTE };
  }
}

describe("Entra token as PostgreSQL password", () => {
  it("reuses a token until five minutes before expiry, then fetches a new one", async () => {
    const clock = { now: 1_000_000 };
    const credential = new ScriptedCredential(clock);
    const password = tokenPassword(credential, () => clock.now);
    assert.equal(await password(), "token-1");
    clock.now += 30 * MINUTE;
    assert.equal(await password(), "token-1");
    clock.now += 26 * MINUTE; // 4 minutes left
    assert.equal(await password(), "token-2");
    assert.equal(credential.requests, 2);
  });

  it("concurrent new connections share one token request", async () => {
    const clock = { now: 0 };
    const credential = new ScriptedCredential(clock);
    const password = tokenPassword(credential, () => clock.now);
    const tokens = await Promise.all(Array.from({ length: 10 }, () => password()));
    assert.deepEqual(new Set(tokens), new Set(["token-1"]));
    assert.equal(credential.requests, 1);
  });

  it("keeps using an unexpired token while the token service fails, then reports the store unavailable", async () => {
    const clock = { now: 0 };
    const credential = new ScriptedCredential(clock);
    const password = tokenPassword(credential, () => clock.now);
    assert.equal(await password(), "token-1");
    credential.failing = true;
    clock.now += 57 * MINUTE; // inside the refresh window, not expired
    assert.equal(await password(), "token-1");
    clock.now += 4 * MINUTE; // expired
    await assert.rejects(
      password(),
      (error: unknown) =>
        error instanceof StoreUnavailableError &&
        /managed identity/.test(error.message) &&
        !/token-1/.test(error.message),
    );
  });

  it("honours refreshAfterTimestamp when the credential gives one", async () => {
    let requests = 0;
    const credential: TokenCredential = {
      async getToken() {
        requests += 1;
        return {
          token: `t${requests}`,
          expiresOnTimestamp: 10 * 60 * MINUTE,
          refreshAfterTimestamp: 30 * MINUTE,
        };
      },
    };
    const clock = { now: 0 };
    const password = tokenPassword(credential, () => clock.now);
    assert.equal(await password(), "t1");
    clock.now = 31 * MINUTE;
    assert.equal(await password(), "t2");
  });
});
