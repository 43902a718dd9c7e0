import assert from "node:assert/strict";
import { test } from "node:test";
import { exchangeForRegistryRefreshToken } from "../../../infra/azure/registry-push-token";

const request = {
  loginServer: "acrx.azurecr.io",
  tenantId: "tenant-guid",
  entraAccessToken: "entra-token-value",
};

test("exchanges the Entra token at the registry's /oauth2/exchange, as az acr login does", async () => {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fakeFetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(JSON.stringify({ refresh_token: "acr-refresh-token" }), { status: 200 });
  }) as unknown as typeof fetch;
  assert.equal(await exchangeForRegistryRefreshToken(request, fakeFetch), "acr-refresh-token");
  assert.equal(calls.length, 1);
  assert.equal(calls[0].url, "https://acrx.azurecr.io/oauth2/exchange");
  assert.equal(calls[0].init.method, "POST");
  assert.deepEqual(Object.fromEntries(new URLSearchParams(String(calls[0].init.body))), {
    grant_type: "access_token",
    service: "acrx.azurecr.io",
    tenant: "tenant-guid",
    access_token: "entra-token-value",
  });
});

test("a refused exchange says what to check and never echoes the token or the response body", async () => {
  const fakeFetch = (async () =>
    new Response("denied for entra-token-value", { status: 401 })) as unknown as typeof fetch;
  await assert.rejects(exchangeForRegistryRefreshToken(request, fakeFetch), (error: Error) => {
    assert.match(
      error.message,
      /refused the token exchange \(HTTP 401\); check `az login` and that your account has push rights/,
    );
    assert.doesNotMatch(error.message, /entra-token-value/);
    return true;
  });
});

test("an answer without a refresh token is an error", async () => {
  const fakeFetch = (async () => new Response("{}", { status: 200 })) as unknown as typeof fetch;
  await assert.rejects(exchangeForRegistryRefreshToken(request, fakeFetch), /without a refresh_token/);
});
