/**
 * Entra-issued token mode against a local JWKS server with locally generated keys: the verifier fetches
 * keys over real HTTP exactly as it would from login.microsoftonline.com.
 */
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from "jose";

type CryptoKey = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];

import { ENTRA_PROVISIONING_AUDIENCE, parseServiceConfig } from "../../src/config/service-config";
import { buildServer } from "../../src/http/server";
import { createRecordingProtocol } from "./support/recording-protocol";
import { createStandInStore } from "./support/stand-in-store";
import { testToken } from "./support/tokens";

const tenantId = "11111111-2222-3333-4444-555555555555";
const issuer = `https://sts.windows.net/${tenantId}/`;
let tenantKey: CryptoKey;
let strangerKey: CryptoKey;
let jwksServer: http.Server;
let jwksUrl: string;
let jwksAvailable = true;

before(async () => {
  const tenant = await generateKeyPair("RS256", { extractable: true });
  const stranger = await generateKeyPair("RS256", { extractable: true });
  tenantKey = tenant.privateKey;
  strangerKey = stranger.privateKey;
  const publicJwk = { ...(await exportJWK(tenant.publicKey)), kid: "tenant-key-1", alg: "RS256", use: "sig" };
  jwksServer = http.createServer((_request, response) => {
    if (!jwksAvailable) {
      response.writeHead(500).end("down");
      return;
    }
    response
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify({ keys: [publicJwk] }));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, "127.0.0.1", resolve));
  jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/discovery/v2.0/keys`;
});
after(() => new Promise<void>((resolve) => jwksServer.close(() => resolve())));

function sign(claims: JWTPayload, options: { key?: CryptoKey; kid?: string; expiresIn?: string } = {}) {
  return new SignJWT({ appid: "entra-provisioning", ...claims })
    .setProtectedHeader({ alg: "RS256", kid: options.kid ?? "tenant-key-1" })
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? "1h")
    .sign(options.key ?? tenantKey);
}

function jwtServer(env: Record<string, string> = {}, tokens: string[] = []) {
  const config = parseServiceConfig({ SCIM_JWT_TENANT_ID: tenantId, SCIM_JWT_JWKS_URL: jwksUrl, ...env });
  return buildServer({
    store: createStandInStore(),
    tokens,
    jwt: config.jwt!,
    protocol: createRecordingProtocol(),
  });
}

async function status(app: ReturnType<typeof jwtServer>, token: string) {
  const response = await app.inject({
    method: "GET",
    url: "/scim/v2/Users",
    headers: { authorization: `Bearer ${token}` },
  });
  if (response.statusCode !== 200) {
    assert.equal(response.json().status, String(response.statusCode), "error is a SCIM body");
  }
  return response.statusCode;
}

describe("Entra-issued JWT mode", () => {
  test("a token from the tenant for Entra's provisioning audience is accepted", async () => {
    const app = jwtServer();
    assert.equal(await status(app, await sign({ iss: issuer, aud: ENTRA_PROVISIONING_AUDIENCE })), 200);
    await app.close();
  });

  test("a token issued by another tenant is refused", async () => {
    const app = jwtServer();
    const foreign = await sign({
      iss: "https://sts.windows.net/99999999-2222-3333-4444-555555555555/",
      aud: ENTRA_PROVISIONING_AUDIENCE,
    });
    assert.equal(await status(app, foreign), 401);
    await app.close();
  });

  test("a token for another audience is refused", async () => {
    const app = jwtServer();
    assert.equal(await status(app, await sign({ iss: issuer, aud: "api://something-else" })), 401);
    await app.close();
  });

  test("a configured audience replaces the default one", async () => {
    const app = jwtServer({ SCIM_JWT_AUDIENCE: "api://scimkit-contoso" });
    assert.equal(await status(app, await sign({ iss: issuer, aud: "api://scimkit-contoso" })), 200);
    assert.equal(await status(app, await sign({ iss: issuer, aud: ENTRA_PROVISIONING_AUDIENCE })), 401);
    await app.close();
  });

  test("an expired token is refused", async () => {
    const app = jwtServer();
    const expired = await sign({ iss: issuer, aud: ENTRA_PROVISIONING_AUDIENCE }, { expiresIn: "-1h" });
    assert.equal(await status(app, expired), 401);
    await app.close();
  });

  test("a token signed with a key the tenant did not publish is refused", async () => {
    const app = jwtServer();
    const forged = await sign({ iss: issuer, aud: ENTRA_PROVISIONING_AUDIENCE }, { key: strangerKey });
    assert.equal(await status(app, forged), 401);
    const unknownKid = await sign(
      { iss: issuer, aud: ENTRA_PROVISIONING_AUDIENCE },
      { key: strangerKey, kid: "other" },
    );
    assert.equal(await status(app, unknownKid), 401);
    await app.close();
  });

  test('an unsigned token (alg "none") is refused', async () => {
    const app = jwtServer();
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const unsigned = `${encode({ alg: "none", typ: "JWT" })}.${encode({ iss: issuer, aud: ENTRA_PROVISIONING_AUDIENCE, exp })}.`;
    assert.equal(await status(app, unsigned), 401);
    await app.close();
  });

  test("static tokens keep working beside JWT mode", async () => {
    const token = testToken();
    const app = jwtServer({}, [token]);
    assert.equal(await status(app, token), 200);
    assert.equal(await status(app, testToken()), 401);
    await app.close();
  });

  test("when the tenant's key set cannot be fetched the answer is 503 (retry later), not 401", async () => {
    const app = jwtServer();
    jwksAvailable = false;
    try {
      assert.equal(await status(app, await sign({ iss: issuer, aud: ENTRA_PROVISIONING_AUDIENCE })), 503);
    } finally {
      jwksAvailable = true;
    }
    await app.close();
  });
});
