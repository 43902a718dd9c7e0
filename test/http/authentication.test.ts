import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import Fastify from "fastify";
import { BearerAuthenticator } from "../../src/http/bearer-authentication";
import type { EntraJwtVerifier } from "../../src/http/entra-jwt";
import { registerScimErrorResponses } from "../../src/http/scim-error-response";
import { registerScimRoutes } from "../../src/http/scim-routes";
import { buildServer } from "../../src/http/server";
import { createRecordingProtocol } from "./support/recording-protocol";
import { createStandInStore } from "./support/stand-in-store";
import { testToken } from "./support/tokens";

const currentToken = testToken();
const nextToken = testToken();
const protocol = createRecordingProtocol();
const app = buildServer({ store: createStandInStore(), tokens: [currentToken, nextToken], protocol });
after(() => app.close());

function get(url: string, authorization?: string) {
  return app.inject({ method: "GET", url, headers: authorization === undefined ? {} : { authorization } });
}

function assertUnauthorized(response: Awaited<ReturnType<typeof get>>) {
  assert.equal(response.statusCode, 401);
  assert.match(String(response.headers["www-authenticate"]), /^Bearer/);
  assert.match(String(response.headers["content-type"]), /^application\/scim\+json/);
  const body = response.json();
  assert.deepEqual(body.schemas, ["urn:ietf:params:scim:api:messages:2.0:Error"]);
  assert.equal(body.status, "401");
  assert.equal(typeof body.detail, "string");
}

describe("bearer authentication on SCIM routes", () => {
  test("a request without Authorization gets 401 with WWW-Authenticate and a SCIM error body", async () => {
    assertUnauthorized(await get("/scim/v2/Users"));
  });

  test("a wrong token gets 401 and the protocol is never called", async () => {
    const before = protocol.requests.length;
    assertUnauthorized(await get("/scim/v2/Users", `Bearer ${testToken()}`));
    assert.equal(protocol.requests.length, before);
  });

  test("a non-Bearer scheme gets 401", async () => {
    assertUnauthorized(
      await get("/scim/v2/Users", `Basic ${Buffer.from(`a:${currentToken}`).toString("base64")}`),
    );
  });

  test("a prefix of a valid token is refused", async () => {
    assertUnauthorized(await get("/scim/v2/Users", `Bearer ${currentToken.slice(0, -1)}`));
  });

  test("a valid token with characters appended is refused", async () => {
    assertUnauthorized(await get("/scim/v2/Users", `Bearer ${currentToken}x`));
    assertUnauthorized(await get("/scim/v2/Users", `Bearer ${currentToken}${nextToken}`));
  });

  test("tokens are compared as UTF-8 bytes: only the exact token matches", () => {
    const authenticator = new BearerAuthenticator(["tökén-ü", "second"]);
    assert.equal(authenticator.authenticate("Bearer tökén-ü"), "token 1 of 2");
    assert.equal(authenticator.authenticate("Bearer second"), "token 2 of 2");
    for (const wrong of ["tökén-", "tökén-üü", "tokén-ü", "second-", "secon", "tökén-ü\u0000"]) {
      assert.throws(() => authenticator.authenticate(`Bearer ${wrong}`), { status: 401 }, wrong);
    }
  });

  test("a JWT verifier that fails without an error object still refuses the request", async () => {
    const reached = createRecordingProtocol();
    for (const rejection of [undefined, null, "not an Error"]) {
      const verifier = { verify: () => Promise.reject(rejection) } as unknown as EntraJwtVerifier;
      const app = Fastify();
      registerScimErrorResponses(app, { bodyLimitBytes: 1024 });
      registerScimRoutes(app, {
        basePath: "/scim/v2",
        protocol: reached,
        authenticator: new BearerAuthenticator([], verifier),
        requestTimeoutMs: 1000,
      });
      const response = await app.inject({
        method: "GET",
        url: "/scim/v2/Users",
        headers: { authorization: "Bearer aaa.bbb.ccc" },
      });
      assertUnauthorized(response);
      await app.close();
    }
    assert.equal(reached.requests.length, 0, "the protocol was never reached");
  });

  test("every configured token is accepted at once, so a token can be rotated without downtime", async () => {
    assert.equal((await get("/scim/v2/Users", `Bearer ${currentToken}`)).statusCode, 200);
    assert.equal((await get("/scim/v2/Users", `Bearer ${nextToken}`)).statusCode, 200);
  });

  test("the scheme name is case-insensitive (RFC 7235 §2.1)", async () => {
    assert.equal((await get("/scim/v2/Users", `bearer ${currentToken}`)).statusCode, 200);
  });

  test("unknown paths under the base path need a token too (401, not 404)", async () => {
    assertUnauthorized(await get("/scim/v2/NoSuchEndpoint"));
  });

  test("an unauthenticated request with a body is refused before the body is parsed", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/scim/v2/Users",
      headers: { "content-type": "application/scim+json" },
      payload: "{ not json",
    });
    assertUnauthorized(response);
  });

  test("health probes need no token", async () => {
    assert.equal((await get("/healthz")).statusCode, 200);
    assert.equal((await get("/readyz")).statusCode, 200);
  });
});

describe("building the server", () => {
  test("refuses to start with neither a token nor JWT mode", () => {
    assert.throws(() => buildServer({ store: createStandInStore(), tokens: [] }), /at least one token/);
  });
});
