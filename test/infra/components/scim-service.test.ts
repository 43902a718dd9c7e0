/** The ScimService's decisions, as pure functions. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  activeTokenGenerations,
  buildDatabaseUrl,
  buildEnvironmentVariables,
  buildIngress,
  buildProbes,
  joinTokens,
  portalUrlFor,
  privateDnsZoneName,
  requirePostgresTier,
  requireSubnetPlan,
  tenantUrlFor,
} from "../../../infra/components/scim-service";

describe("token rotation", () => {
  test("generation 1 accepts one token", () => assert.deepEqual(activeTokenGenerations(1), [1]));
  test("a bumped generation accepts the new token and the previous one, newest first", () => {
    assert.deepEqual(activeTokenGenerations(2), [2, 1]);
    assert.deepEqual(activeTokenGenerations(7), [7, 6]);
  });
  test("a generation below 1 is refused", () => {
    assert.throws(
      () => activeTokenGenerations(0),
      /tokenGeneration must be a whole number of at least 1 \(got 0\)/,
    );
    assert.throws(() => activeTokenGenerations(1.5), /got 1\.5/);
  });
  test("tokens are joined the way SCIM_TOKENS is read: comma-separated", () => {
    assert.equal(joinTokens(["new", "old"]), "new,old");
  });
});

describe("ingress", () => {
  test("is external and HTTPS-only, with no IP restriction when none is configured", () => {
    const ingress = buildIngress(8080, []);
    assert.equal(ingress.external, true);
    assert.equal(ingress.allowInsecure, false);
    assert.equal(ingress.targetPort, 8080);
    assert.equal(ingress.ipSecurityRestrictions, undefined);
  });
  test("an allow-list becomes all-Allow rules; single addresses become /32", () => {
    const ingress = buildIngress(8080, ["20.190.128.0/18", "198.51.100.4"]);
    assert.deepEqual(ingress.ipSecurityRestrictions, [
      {
        name: "allow-1",
        action: "Allow",
        ipAddressRange: "20.190.128.0/18",
        description: "scimkit:allowedIpRanges",
      },
      {
        name: "allow-2",
        action: "Allow",
        ipAddressRange: "198.51.100.4/32",
        description: "scimkit:allowedIpRanges",
      },
    ]);
  });
});

describe("probes", () => {
  const probes = buildProbes(8080);
  test("liveness never depends on the database; readiness does", () => {
    const byType = Object.fromEntries(probes.map((probe) => [probe.type, probe]));
    assert.equal((byType.Liveness.httpGet as { path: string }).path, "/healthz");
    assert.equal((byType.Readiness.httpGet as { path: string }).path, "/readyz");
    assert.equal((byType.Startup.httpGet as { path: string }).path, "/healthz");
  });
  test("stay within Container Apps' limits (failureThreshold 1–10, periodSeconds 1–240)", () => {
    for (const probe of probes) {
      assert.ok(Number(probe.failureThreshold) >= 1 && Number(probe.failureThreshold) <= 10);
      assert.ok(Number(probe.periodSeconds) >= 1 && Number(probe.periodSeconds) <= 240);
      assert.ok(Number(probe.timeoutSeconds) < Number(probe.periodSeconds));
    }
  });
});

describe("service environment", () => {
  const env = buildEnvironmentVariables({
    basePath: "/scim/v2",
    databaseUrl: "postgres://id@host:5432/scimkit?sslmode=require",
    managedIdentityClientId: "client-id",
    tokenGeneration: 4,
  });
  test("SCIM_TOKENS comes only from the secret reference", () => {
    const tokens = env.filter((variable) => variable.name === "SCIM_TOKENS");
    assert.deepEqual(tokens, [{ name: "SCIM_TOKENS", secretRef: "scim-tokens" }]);
  });
  test("production mode, passwordless database auth and the identity's client id", () => {
    const value = (name: string) => env.find((variable) => variable.name === name)?.value;
    assert.equal(value("NODE_ENV"), "production");
    assert.equal(value("DATABASE_AUTH"), "azure");
    assert.equal(value("AZURE_CLIENT_ID"), "client-id");
    assert.equal(value("PORT"), "8080");
    assert.equal(value("SCIMKIT_TOKEN_GENERATION"), "4");
  });
});

describe("URLs and names", () => {
  test("the database URL names the identity as user and requires TLS, with no password", () => {
    assert.equal(
      buildDatabaseUrl("psql-a.postgres.database.azure.com", "id-scimkit-a", "scimkit"),
      "postgres://id-scimkit-a@psql-a.postgres.database.azure.com:5432/scimkit?sslmode=require",
    );
  });
  test("the tenant URL is https://<fqdn><basePath>", () => {
    assert.equal(
      tenantUrlFor("scim-a.x.azurecontainerapps.io", "/api/v3/scim2"),
      "https://scim-a.x.azurecontainerapps.io/api/v3/scim2",
    );
    assert.throws(() => tenantUrlFor(undefined, "/scim/v2"), /no ingress FQDN/);
  });
  test("the private DNS zone ends in .postgres.database.azure.com as Azure requires", () => {
    assert.equal(privateDnsZoneName("psql-a-x1"), "psql-a-x1.private.postgres.database.azure.com");
  });
  test("the portal link opens the resource in the right directory", () => {
    assert.equal(
      portalUrlFor("tenant-guid", "/subscriptions/s/resourceGroups/rg"),
      "https://portal.azure.com/#@tenant-guid/resource/subscriptions/s/resourceGroups/rg/overview",
    );
  });
  test("a component given an unusable address space fails with the reason", () => {
    assert.throws(
      () => requireSubnetPlan("10.0.0.0/25", "workloadProfiles"),
      /vnetAddressSpace: 10\.0\.0\.0\/25 is too small/,
    );
  });
});

describe("PostgreSQL tier", () => {
  test("follows the compute size's family, as ARM requires", () => {
    assert.equal(requirePostgresTier("Standard_B1ms"), "Burstable");
    assert.equal(requirePostgresTier("Standard_D2ds_v5"), "GeneralPurpose");
    assert.equal(requirePostgresTier("Standard_E4ds_v5"), "MemoryOptimized");
    assert.throws(() => requirePostgresTier("B1ms"), /not a flexible server size/);
  });
});
