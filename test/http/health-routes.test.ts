import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { buildServer } from "../../src/http/server";
import { createStandInStore } from "./support/stand-in-store";
import { testToken } from "./support/tokens";

describe("health probes", () => {
  test("/healthz answers 200 even while the database is down", async () => {
    const store = createStandInStore();
    store.pingBehaviour = "fail";
    const app = buildServer({ store, tokens: [testToken()] });
    const response = await app.inject({ method: "GET", url: "/healthz" });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { status: "ok" });
    await app.close();
  });

  test("/readyz follows the store: 200 when it answers, 503 when it fails, 200 again when it is back", async () => {
    const store = createStandInStore();
    const app = buildServer({ store, tokens: [testToken()] });
    assert.equal((await app.inject({ method: "GET", url: "/readyz" })).statusCode, 200);
    store.pingBehaviour = "fail";
    const down = await app.inject({ method: "GET", url: "/readyz" });
    assert.equal(down.statusCode, 503);
    assert.equal(down.json().status, "unavailable");
    store.pingBehaviour = "ok";
    assert.equal((await app.inject({ method: "GET", url: "/readyz" })).statusCode, 200);
    await app.close();
  });

  test("/readyz answers 503 within a few seconds when the store hangs", async () => {
    const store = createStandInStore();
    store.pingBehaviour = "hang";
    const app = buildServer({ store, tokens: [testToken()] });
    const response = await app.inject({ method: "GET", url: "/readyz" });
    assert.equal(response.statusCode, 503);
    await app.close();
  });

  test("closing the server closes the store", async () => {
    const store = createStandInStore();
    const app = buildServer({ store, tokens: [testToken()] });
    await app.ready();
    await app.close();
    assert.equal(store.closed, true);
  });
});
