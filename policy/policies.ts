/**
 * scimkit's security properties as Pulumi policies. Run them against a tenant stack with
 * `pulumi preview --policy-pack policy`; test/policy/policies.test.ts proves each one rejects a violating
 * resource and accepts a good one, and the infra program tests run all of them over the real graph.
 */
import * as app from "@pulumi/azure-native/app";
import * as containerregistry from "@pulumi/azure-native/containerregistry";
import * as dbforpostgresql from "@pulumi/azure-native/dbforpostgresql";
import * as keyvault from "@pulumi/azure-native/keyvault";
import { type ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

export const containerAppHttpsOnly: ResourceValidationPolicy = {
  name: "container-app-https-only",
  description:
    "Container App ingress serves HTTPS only: allowInsecure false, and never raw TCP on external ingress.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(app.ContainerApp, (containerApp, _args, reportViolation) => {
    const ingress = containerApp.configuration?.ingress;
    if (!ingress) return;
    if (ingress.allowInsecure !== false) {
      reportViolation(
        "configuration.ingress.allowInsecure must be false: plain HTTP would carry the SCIM bearer token in clear text",
      );
    }
    if (ingress.external && String(ingress.transport ?? "auto").toLowerCase() === "tcp") {
      reportViolation(
        "external ingress must use HTTP transport (TLS terminated by Container Apps), not raw TCP",
      );
    }
  }),
};

const KEY_VAULT_SECRET_URL =
  /^https:\/\/[a-z0-9-]+\.vault\.(azure\.net|usgovcloudapi\.net|azure\.cn)\/secrets\//i;

export const containerAppSecretsFromKeyVault: ResourceValidationPolicy = {
  name: "container-app-secrets-from-key-vault",
  description:
    "Container App secrets are Key Vault references resolved by a managed identity, never literal values; " +
    "registries are pulled with a managed identity, never a password.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(app.ContainerApp, (containerApp, _args, reportViolation) => {
    for (const secret of containerApp.configuration?.secrets ?? []) {
      const name = secret.name ?? "(unnamed)";
      if (secret.value !== undefined) {
        reportViolation(
          `secret ${name} has a literal value; reference a Key Vault secret (keyVaultUrl + identity) instead`,
        );
      }
      if (!secret.keyVaultUrl || !KEY_VAULT_SECRET_URL.test(secret.keyVaultUrl)) {
        reportViolation(
          `secret ${name} must set keyVaultUrl to a Key Vault secret URI (https://<vault>.vault.azure.net/secrets/…)`,
        );
      }
      if (!secret.identity) {
        reportViolation(
          `secret ${name} must name the managed identity that reads it from Key Vault (identity)`,
        );
      }
    }
    for (const registry of containerApp.configuration?.registries ?? []) {
      if (registry.passwordSecretRef || registry.username) {
        reportViolation(
          `registry ${registry.server ?? ""} uses a user name/password; pull with a managed identity holding AcrPull`,
        );
      }
    }
  }),
};

export const registryNoAdminUser: ResourceValidationPolicy = {
  name: "container-registry-no-admin-user",
  description:
    "Container registries keep the shared admin user disabled; access goes through Entra identities.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(containerregistry.Registry, (registry, _args, reportViolation) => {
    if (registry.adminUserEnabled === true) {
      reportViolation(
        "adminUserEnabled must be false: use AcrPull/AcrPush role assignments instead of the admin user",
      );
    }
  }),
};

export const postgresNotPublic: ResourceValidationPolicy = {
  name: "postgres-not-public",
  description:
    "The PostgreSQL flexible server is reachable only from its virtual network (private access), never through " +
    "firewall rules on a public endpoint.",
  enforcementLevel: "mandatory",
  validateResource: [
    validateResourceOfType(dbforpostgresql.Server, (server, _args, reportViolation) => {
      const network = server.network;
      if (!network?.delegatedSubnetResourceId) {
        reportViolation(
          "network.delegatedSubnetResourceId must place the server in a delegated subnet (private access)",
        );
      }
      if (network?.publicNetworkAccess !== "Disabled") {
        reportViolation("network.publicNetworkAccess must be Disabled");
      }
    }),
    validateResourceOfType(dbforpostgresql.FirewallRule, (_rule, args, reportViolation) => {
      reportViolation(
        `firewall rule ${args.name} opens the server's public endpoint; use private access through the virtual network`,
      );
    }),
  ],
};

export const postgresEntraOnly: ResourceValidationPolicy = {
  name: "postgres-entra-authentication-only",
  description: "PostgreSQL accepts Microsoft Entra tokens only: no password exists that could leak.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(dbforpostgresql.Server, (server, _args, reportViolation) => {
    if (server.authConfig?.activeDirectoryAuth !== "Enabled") {
      reportViolation("authConfig.activeDirectoryAuth must be Enabled");
    }
    if (server.authConfig?.passwordAuth !== "Disabled") {
      reportViolation("authConfig.passwordAuth must be Disabled: the app signs in with its managed identity");
    }
  }),
};

export const keyVaultRbac: ResourceValidationPolicy = {
  name: "key-vault-rbac",
  description: "Key Vaults use Azure RBAC (enableRbacAuthorization), not access policies.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(keyvault.Vault, (vault, _args, reportViolation) => {
    if (vault.properties?.enableRbacAuthorization !== true) {
      reportViolation(
        "properties.enableRbacAuthorization must be true (grant Key Vault Secrets User by role assignment)",
      );
    }
    if ((vault.properties?.accessPolicies ?? []).length > 0) {
      reportViolation("properties.accessPolicies must be empty: access is granted by role assignments only");
    }
  }),
};

export const scimkitPolicies: ResourceValidationPolicy[] = [
  containerAppHttpsOnly,
  containerAppSecretsFromKeyVault,
  registryNoAdminUser,
  postgresNotPublic,
  postgresEntraOnly,
  keyVaultRbac,
];
