import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import { ConfigError } from "../../src/config/config-error";
import { ENTRA_PROVISIONING_AUDIENCE, parseServiceConfig } from "../../src/config/service-config";

const strong = "Zq3xR7pL0vWk9sYt2NbHc5MdJf8GuEa1";
const strong2 = "mK4nB7vC1xZ9lQ2wE5rT8yU3iO6pA0sD";

function configError(env: Record<string, string>): string {
  try {
    parseServiceConfig(env, "/srv/app");
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.message;
  }
  assert.fail(`expected a ConfigError for ${JSON.stringify(env)}`);
}

describe("service configuration from the environment", () => {
  test("defaults: port 8080 on all interfaces, /scim/v2, SQLite under ./data, development", () => {
    const config = parseServiceConfig({}, "/srv/app");
    assert.equal(config.port, 8080);
    assert.equal(config.host, "0.0.0.0");
    assert.equal(config.basePath, "/scim/v2");
    assert.equal(config.environment, "development");
    assert.equal(config.dataDirectory, path.resolve("/srv/app/data"));
    assert.equal(config.database.url, `sqlite:${path.resolve("/srv/app/data/scimkit.db")}`);
    assert.equal(config.database.auth, "password");
    assert.deepEqual(config.tokens, []);
    assert.equal(config.jwt, undefined);
    assert.equal(config.bodyLimitBytes, 1024 * 1024);
    assert.equal(config.requestTimeoutMs, 20_000);
  });

  test("SCIM_BASE_PATH takes a Cleanmail-style path; a trailing slash is dropped", () => {
    assert.equal(parseServiceConfig({ SCIM_BASE_PATH: "/api/v3/scim2/" }).basePath, "/api/v3/scim2");
  });

  test("SCIM_BASE_PATH without a leading slash is refused with an example", () => {
    assert.match(
      configError({ SCIM_BASE_PATH: "scim/v2" }),
      /SCIM_BASE_PATH must .*starting with "\/".*\/api\/v3\/scim2/,
    );
    assert.match(configError({ SCIM_BASE_PATH: "/scim?x=1" }), /SCIM_BASE_PATH/);
    assert.match(configError({ SCIM_BASE_PATH: "/healthz" }), /health probe/);
  });

  test("PORT must be a port number", () => {
    assert.match(
      configError({ PORT: "http" }),
      /PORT must be a whole number between 0 and 65535 \(got "http"\)/,
    );
    assert.match(configError({ PORT: "70000" }), /PORT/);
  });

  test("SCIM_TOKENS holds several comma-separated tokens for rotation", () => {
    assert.deepEqual(parseServiceConfig({ SCIM_TOKENS: ` ${strong} , ${strong2},` }).tokens, [
      strong,
      strong2,
    ]);
  });

  test("a short token is refused by position, without echoing any token", () => {
    const message = configError({ SCIM_TOKENS: `${strong},secret123` });
    assert.match(message, /SCIM_TOKENS entry 2 of 2 is too short \(9 characters\).*openssl rand/);
    assert.ok(!message.includes("secret123") && !message.includes(strong));
  });

  test("a long but repetitive token is refused as not random", () => {
    assert.match(configError({ SCIM_TOKENS: "ab".repeat(20) }), /not random enough/);
  });

  test("a token with characters a bearer token cannot carry is refused", () => {
    assert.match(configError({ SCIM_TOKENS: `${strong} with spaces inside it` }), /RFC 6750/);
  });

  test("production without tokens and without JWT mode refuses to start, saying what to set", () => {
    const message = configError({ NODE_ENV: "production" });
    assert.match(message, /NODE_ENV=production/);
    assert.match(message, /SCIM_TOKENS/);
    assert.match(message, /SCIM_JWT_TENANT_ID/);
  });

  test("production with tokens, or with JWT mode only, starts", () => {
    assert.deepEqual(parseServiceConfig({ NODE_ENV: "production", SCIM_TOKENS: strong }).tokens, [strong]);
    const jwtOnly = parseServiceConfig({
      NODE_ENV: "production",
      SCIM_JWT_TENANT_ID: "72F988BF-86F1-41AF-91AB-2D7CD011DB47",
    });
    assert.deepEqual(jwtOnly.jwt, {
      tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
      audience: ENTRA_PROVISIONING_AUDIENCE,
      issuer: "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/",
      jwksUrl: "https://login.microsoftonline.com/72F988BF-86F1-41AF-91AB-2D7CD011DB47/discovery/v2.0/keys",
    });
  });

  test("JWT settings are checked: tenant id must be a GUID, audience/JWKS URL need the tenant", () => {
    assert.match(
      configError({ SCIM_JWT_TENANT_ID: "contoso.onmicrosoft.com" }),
      /SCIM_JWT_TENANT_ID must be the directory \(tenant\) id, a GUID/,
    );
    assert.match(
      configError({ SCIM_JWT_AUDIENCE: "api://x" }),
      /SCIM_JWT_AUDIENCE is set but SCIM_JWT_TENANT_ID is not/,
    );
    assert.match(
      configError({
        SCIM_JWT_TENANT_ID: "72f988bf-86f1-41af-91ab-2d7cd011db47",
        SCIM_JWT_JWKS_URL: "ftp://keys",
      }),
      /SCIM_JWT_JWKS_URL must be an http\(s\) URL/,
    );
  });

  test("DATABASE_AUTH=azure is passed to the store for PostgreSQL and refused for SQLite", () => {
    const config = parseServiceConfig({
      DATABASE_URL: "postgres://scimkit@db.postgres.database.azure.com/scimkit?sslmode=require",
      DATABASE_AUTH: "azure",
      AZURE_CLIENT_ID: "00000000-0000-0000-0000-0000000000aa",
    });
    assert.deepEqual(config.database, {
      url: "postgres://scimkit@db.postgres.database.azure.com/scimkit?sslmode=require",
      auth: "azure",
      azureClientId: "00000000-0000-0000-0000-0000000000aa",
    });
    assert.match(configError({ DATABASE_AUTH: "azure" }), /DATABASE_AUTH=azure only applies to PostgreSQL/);
    assert.match(configError({ DATABASE_AUTH: "kerberos" }), /DATABASE_AUTH must be one of password, azure/);
  });

  test("limits are bounded numbers", () => {
    assert.equal(parseServiceConfig({ SCIM_MAX_BODY_BYTES: "65536" }).bodyLimitBytes, 65536);
    assert.match(configError({ SCIM_MAX_BODY_BYTES: "1mb" }), /SCIM_MAX_BODY_BYTES must be a whole number/);
    assert.match(configError({ SCIM_REQUEST_TIMEOUT_MS: "0" }), /SCIM_REQUEST_TIMEOUT_MS/);
    assert.equal(parseServiceConfig({ TRUST_PROXY: "true" }).trustProxy, true);
    assert.match(configError({ TRUST_PROXY: "maybe" }), /TRUST_PROXY must be true or false/);
  });
});
