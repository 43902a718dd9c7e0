/** Each policy rejects a violating resource and accepts a good one, called the way the engine calls it. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import {
  containerAppHttpsOnly,
  containerAppSecretsFromKeyVault,
  keyVaultRbac,
  postgresEntraOnly,
  postgresNotPublic,
  registryNoAdminUser,
  scimkitPolicies,
} from "../../policy/policies";
import { violationsOf } from "./support/run-policy";

const IDENTITY =
  "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-scimkit-a";
const goodApp = () => ({
  configuration: {
    ingress: { external: true, targetPort: 8080, allowInsecure: false, transport: "http" },
    secrets: [
      {
        name: "scim-tokens",
        keyVaultUrl: "https://kv-a-x1.vault.azure.net/secrets/scim-tokens/abc",
        identity: IDENTITY,
      },
    ],
    registries: [{ server: "acra.azurecr.io", identity: IDENTITY }],
  },
});
const goodServer = () => ({
  network: {
    delegatedSubnetResourceId: "/subscriptions/s/…/subnets/postgres",
    privateDnsZoneArmResourceId: "/subscriptions/s/…/privateDnsZones/a.private.postgres.database.azure.com",
    publicNetworkAccess: "Disabled",
  },
  authConfig: { activeDirectoryAuth: "Enabled", passwordAuth: "Disabled", tenantId: "t" },
});

const CONTAINER_APP = "azure-native:app:ContainerApp";
const SERVER = "azure-native:dbforpostgresql:Server";

describe("container-app-https-only", () => {
  test("accepts external HTTPS-only ingress", () => {
    assert.deepEqual(violationsOf(containerAppHttpsOnly, CONTAINER_APP, goodApp()), []);
  });
  test("rejects allowInsecure true, and an unset allowInsecure", () => {
    const insecure = goodApp();
    insecure.configuration.ingress.allowInsecure = true;
    assert.match(
      violationsOf(containerAppHttpsOnly, CONTAINER_APP, insecure).join(),
      /allowInsecure must be false/,
    );
    const unset = goodApp() as { configuration: { ingress: Record<string, unknown> } };
    delete unset.configuration.ingress.allowInsecure;
    assert.equal(violationsOf(containerAppHttpsOnly, CONTAINER_APP, unset).length, 1);
  });
  test("rejects raw TCP on external ingress", () => {
    const tcp = goodApp();
    tcp.configuration.ingress.transport = "tcp";
    assert.match(violationsOf(containerAppHttpsOnly, CONTAINER_APP, tcp).join(), /not raw TCP/);
  });
  test("does not apply to other resource types", () => {
    assert.deepEqual(
      violationsOf(containerAppHttpsOnly, "azure-native:keyvault:Vault", {
        configuration: { ingress: { allowInsecure: true } },
      }),
      [],
    );
  });
});

describe("container-app-secrets-from-key-vault", () => {
  test("accepts Key Vault references and identity-based registry pulls", () => {
    assert.deepEqual(violationsOf(containerAppSecretsFromKeyVault, CONTAINER_APP, goodApp()), []);
  });
  test("rejects a literal secret value", () => {
    const literal = { configuration: { secrets: [{ name: "scim-tokens", value: "hunter2" }] } };
    const violations = violationsOf(containerAppSecretsFromKeyVault, CONTAINER_APP, literal);
    assert.match(violations.join("\n"), /secret scim-tokens has a literal value/);
    assert.match(violations.join("\n"), /must set keyVaultUrl/);
    assert.match(violations.join("\n"), /must name the managed identity/);
    assert.doesNotMatch(violations.join("\n"), /hunter2/, "a violation message must not echo the secret");
  });
  test("rejects a reference that is not a Key Vault secret URI", () => {
    const elsewhere = goodApp();
    elsewhere.configuration.secrets[0].keyVaultUrl = "https://example.com/secrets/scim-tokens";
    assert.equal(violationsOf(containerAppSecretsFromKeyVault, CONTAINER_APP, elsewhere).length, 1);
  });
  test("rejects a registry pulled with a password", () => {
    const password = {
      configuration: {
        registries: [{ server: "acra.azurecr.io", username: "acra", passwordSecretRef: "acr-password" }],
      },
    };
    assert.match(
      violationsOf(containerAppSecretsFromKeyVault, CONTAINER_APP, password).join(),
      /pull with a managed identity/,
    );
  });
});

describe("container-registry-no-admin-user", () => {
  const REGISTRY = "azure-native:containerregistry:Registry";
  test("accepts a registry without the admin user", () => {
    assert.deepEqual(
      violationsOf(registryNoAdminUser, REGISTRY, { adminUserEnabled: false, sku: { name: "Basic" } }),
      [],
    );
  });
  test("rejects the admin user", () => {
    assert.match(
      violationsOf(registryNoAdminUser, REGISTRY, { adminUserEnabled: true }).join(),
      /adminUserEnabled must be false/,
    );
  });
});

describe("postgres-not-public", () => {
  test("accepts private access in a delegated subnet", () => {
    assert.deepEqual(violationsOf(postgresNotPublic, SERVER, goodServer()), []);
  });
  test("rejects a server with public network access", () => {
    const server = goodServer();
    server.network.publicNetworkAccess = "Enabled";
    assert.match(
      violationsOf(postgresNotPublic, SERVER, server).join(),
      /publicNetworkAccess must be Disabled/,
    );
  });
  test("rejects a server outside a delegated subnet", () => {
    assert.equal(violationsOf(postgresNotPublic, SERVER, { authConfig: goodServer().authConfig }).length, 2);
  });
  test("rejects any firewall rule", () => {
    const rule = { serverName: "psql-a", startIpAddress: "0.0.0.0", endIpAddress: "255.255.255.255" };
    assert.match(
      violationsOf(postgresNotPublic, "azure-native:dbforpostgresql:FirewallRule", rule).join(),
      /opens the server's public endpoint/,
    );
  });
});

describe("postgres-entra-authentication-only", () => {
  test("accepts Entra-only authentication", () => {
    assert.deepEqual(violationsOf(postgresEntraOnly, SERVER, goodServer()), []);
  });
  test("rejects password authentication", () => {
    const server = goodServer();
    server.authConfig.passwordAuth = "Enabled";
    assert.match(violationsOf(postgresEntraOnly, SERVER, server).join(), /passwordAuth must be Disabled/);
  });
  test("rejects a server without Entra authentication", () => {
    assert.equal(violationsOf(postgresEntraOnly, SERVER, { network: goodServer().network }).length, 2);
  });
});

describe("key-vault-rbac", () => {
  const VAULT = "azure-native:keyvault:Vault";
  const vault = (properties: Record<string, unknown>) => ({
    properties: { tenantId: "t", sku: { family: "A", name: "standard" }, ...properties },
  });
  test("accepts RBAC mode", () => {
    assert.deepEqual(violationsOf(keyVaultRbac, VAULT, vault({ enableRbacAuthorization: true })), []);
  });
  test("rejects access-policy mode", () => {
    assert.match(violationsOf(keyVaultRbac, VAULT, vault({})).join(), /enableRbacAuthorization must be true/);
    const policies = vault({
      enableRbacAuthorization: true,
      accessPolicies: [{ objectId: "o", permissions: {} }],
    });
    assert.match(violationsOf(keyVaultRbac, VAULT, policies).join(), /accessPolicies must be empty/);
  });
});

test("the pack holds every policy once, all mandatory", () => {
  const names = scimkitPolicies.map((policy: ResourceValidationPolicy) => policy.name);
  assert.equal(new Set(names).size, names.length);
  assert.equal(names.length, 6);
  for (const policy of scimkitPolicies) assert.equal(policy.enforcementLevel, "mandatory");
});
