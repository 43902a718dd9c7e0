import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { resourceNames, sanitizeBaseName } from "../../../infra/azure/naming";

describe("resourceNames", () => {
  test("readable names for a typical tenant", () => {
    assert.deepEqual(resourceNames("contoso", "x7k2p9"), {
      resourceGroup: "rg-scimkit-contoso",
      logAnalyticsWorkspace: "log-scimkit-contoso-x7k2p9",
      virtualNetwork: "vnet-scimkit-contoso",
      containerAppsEnvironment: "cae-contoso",
      containerApp: "scim-contoso",
      identity: "id-scimkit-contoso",
      keyVault: "kv-contoso-x7k2p9",
      containerRegistry: "acrcontosox7k2p9",
      postgresServer: "psql-contoso-x7k2p9",
    });
  });

  test("sanitizes stack names Azure would reject", () => {
    assert.equal(sanitizeBaseName("Contoso_Prod.EU"), "contoso-prod-eu");
    assert.equal(sanitizeBaseName("42tenant"), "t42tenant");
    assert.equal(sanitizeBaseName("---"), "tenant");
  });

  test("refuses a suffix that would break naming rules", () => {
    assert.throws(() => resourceNames("a", "UP"), /naming suffix must be 4–8 lowercase letters or digits/);
  });

  test("every name satisfies Azure's rules for any stack name", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), fc.stringMatching(/^[a-z0-9]{6}$/), (tenant, suffix) => {
        const names = resourceNames(tenant, suffix);
        // Key Vault: 3–24, alphanumerics and hyphens, starts with a letter, no "--", ends alphanumeric.
        assert.match(names.keyVault, /^[a-z][a-z0-9-]{1,22}[a-z0-9]$/);
        assert.doesNotMatch(names.keyVault, /--/);
        // Container registry: 5–50 alphanumerics.
        assert.match(names.containerRegistry, /^[a-z0-9]{5,50}$/);
        // PostgreSQL flexible server: 3–63 lowercase letters, digits, hyphens; no leading/trailing hyphen.
        assert.match(names.postgresServer, /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/);
        // Container app and environment: 2–32 lowercase alphanumerics or hyphens, starting with a letter.
        assert.match(names.containerApp, /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/);
        assert.match(names.containerAppsEnvironment, /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/);
        // Log Analytics workspace: 4–63, alphanumerics and hyphens, alphanumeric at both ends.
        assert.match(names.logAnalyticsWorkspace, /^[a-z0-9][a-z0-9-]{2,61}[a-z0-9]$/);
        assert.ok(names.resourceGroup.length <= 90);
        // The suffix keeps globally unique and soft-deleted names apart between deployments.
        for (const unique of [
          names.keyVault,
          names.containerRegistry,
          names.postgresServer,
          names.logAnalyticsWorkspace,
        ]) {
          assert.ok(unique.endsWith(suffix), `${unique} must end with the suffix`);
        }
      }),
    );
  });
});
