/**
 * The environment ScimService gives the container is one the service itself accepts: the service's own
 * config parser (src/config) reads it, tokens shaped like the stack's RandomPasswords included.
 * (A test may import the service; infra/ itself never does.)
 */
import assert from "node:assert/strict";
import { randomInt } from "node:crypto";
import { test } from "node:test";
import {
  buildDatabaseUrl,
  buildEnvironmentVariables,
  joinTokens,
} from "../../../infra/components/scim-service";
import { SERVICE_PORT } from "../../../infra/components/service-contract";
import { parseServiceConfig } from "../../../src/config/service-config";

/** What `random.RandomPassword({ length: 64, special: false })` produces: 64 letters and digits. */
function stackGeneratedToken(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from({ length: 64 }, () => alphabet[randomInt(alphabet.length)]).join("");
}

test("the service accepts the container environment the stack builds, both rotation tokens included", () => {
  const newest = stackGeneratedToken();
  const previous = stackGeneratedToken();
  const variables = buildEnvironmentVariables({
    basePath: "/api/v3/scim2",
    databaseUrl: buildDatabaseUrl(
      "psql-contoso-x7k2p9.postgres.database.azure.com",
      "id-scimkit-contoso",
      "scimkit",
    ),
    managedIdentityClientId: "22222222-2222-2222-2222-222222222222",
    tokenGeneration: 2,
  });
  const env: Record<string, string> = {};
  for (const variable of variables) {
    // Container Apps resolves the secret reference from Key Vault; here we stand in for it.
    env[String(variable.name)] = variable.secretRef ? joinTokens([newest, previous]) : String(variable.value);
  }
  const config = parseServiceConfig(env, "/nonexistent");
  assert.equal(config.port, SERVICE_PORT);
  assert.equal(config.basePath, "/api/v3/scim2");
  assert.deepEqual(config.tokens, [newest, previous]);
  assert.equal(config.database.auth, "azure");
  assert.equal(config.database.azureClientId, "22222222-2222-2222-2222-222222222222");
  assert.equal(
    config.trustProxy,
    true,
    "behind the Container Apps ingress, locations must use the public host",
  );
});
