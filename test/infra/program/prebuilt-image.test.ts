/**
 * The real program with a prebuilt, digest-pinned image, a rotated token (generation 3), an IP
 * allow-list and an existing resource group: the resource graph and its security properties.
 */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { scimkitPolicies } from "../../../policy/policies";
import { violationsOf } from "../../policy/support/run-policy";
import {
  findPlainSecrets,
  isSecretWrapped,
  type LoadedProgram,
  loadProgram,
  MOCK_SHARED_KEY,
  MOCK_SUBSCRIPTION_ID,
  onlyResourceOfType,
  resourcesOfType,
  unwrapSecrets,
} from "../support/program-harness";

const IMAGE = `ghcr.io/acme/scimkit:1.0.0@sha256:${"a".repeat(64)}`;
let program: LoadedProgram;

before(async () => {
  program = await loadProgram({
    config: {
      // The Entra side has its own program tests; these check the Azure graph.
      entraEnabled: "false",
      location: "northeurope",
      existingResourceGroupName: "rg-customer-provided",
      image: IMAGE,
      tokenGeneration: "3",
      allowedIpRanges: ["20.190.128.0/18", "203.0.113.7"],
      minReplicas: "1",
      maxReplicas: "5",
      cpu: "0.5",
      memory: "1Gi",
      scimBasePath: "/api/v3/scim2",
    },
  });
});

const app = () => onlyResourceOfType(program, "azure-native:app:ContainerApp");

describe("prebuilt image stack", () => {
  test("creates no resource group, registry or image build when the image is prebuilt and the group exists", () => {
    assert.equal(resourcesOfType(program, "azure-native:resources:ResourceGroup").length, 0);
    assert.equal(resourcesOfType(program, "azure-native:containerregistry:Registry").length, 0);
    assert.equal(resourcesOfType(program, "docker-build:index:Image").length, 0);
    assert.ok(program.invokes.includes("azure-native:resources:getResourceGroup"));
    assert.equal(app().inputs.template.containers[0].image, IMAGE);
    assert.deepEqual(app().inputs.configuration.registries, []);
  });

  test("the component is registered with its type token", () => {
    const component = onlyResourceOfType(program, "scimkit:azure:ScimService");
    assert.equal(component.custom, false);
  });

  test("ingress is external and HTTPS-only with an all-Allow IP list", () => {
    const ingress = app().inputs.configuration.ingress;
    assert.equal(ingress.external, true);
    assert.equal(ingress.allowInsecure, false);
    assert.equal(ingress.targetPort, 8080);
    assert.deepEqual(
      ingress.ipSecurityRestrictions.map((rule: { action: string; ipAddressRange: string }) => [
        rule.action,
        rule.ipAddressRange,
      ]),
      [
        ["Allow", "20.190.128.0/18"],
        ["Allow", "203.0.113.7/32"],
      ],
    );
  });

  test("the tokens reach the app only as a Key Vault reference resolved by the user-assigned identity", () => {
    const configuration = app().inputs.configuration;
    assert.equal(isSecretWrapped(configuration), false, "nothing secret belongs in the app configuration");
    assert.equal(configuration.secrets.length, 1);
    const [secret] = configuration.secrets;
    assert.equal(secret.name, "scim-tokens");
    assert.equal(secret.value, undefined);
    assert.match(
      secret.keyVaultUrl,
      /^https:\/\/kv-contoso-x7k2p9\.vault\.azure\.net\/secrets\/scim-tokens\/[0-9a-f]+$/,
    );
    const identity = onlyResourceOfType(program, "azure-native:managedidentity:UserAssignedIdentity");
    assert.match(secret.identity, /userAssignedIdentities\/id-scimkit-contoso$/);
    assert.deepEqual(app().inputs.identity, {
      type: "UserAssigned",
      userAssignedIdentities: [secret.identity],
    });
    assert.equal(identity.inputs.resourceName, "id-scimkit-contoso");
  });

  test("the container gets its environment, with SCIM_TOKENS only by secret reference", () => {
    const env = Object.fromEntries(
      app().inputs.template.containers[0].env.map(
        (variable: { name: string; value?: string; secretRef?: string }) => [
          variable.name,
          variable.secretRef ? { secretRef: variable.secretRef } : variable.value,
        ],
      ),
    );
    assert.deepEqual(env, {
      PORT: "8080",
      NODE_ENV: "production",
      SCIM_BASE_PATH: "/api/v3/scim2",
      DATABASE_URL:
        "postgres://id-scimkit-contoso@psql-contoso-x7k2p9.postgres.database.azure.com:5432/scimkit?sslmode=require",
      DATABASE_AUTH: "azure",
      AZURE_CLIENT_ID: "22222222-2222-2222-2222-222222222222",
      SCIM_TOKENS: { secretRef: "scim-tokens" },
      TRUST_PROXY: "true",
      SCIMKIT_TOKEN_GENERATION: "3",
    });
  });

  test("probes, scale rule, replicas and size come from config", () => {
    const container = app().inputs.template.containers[0];
    assert.deepEqual(
      container.probes.map((probe: { type: string; httpGet: { path: string; port: number } }) => [
        probe.type,
        probe.httpGet.path,
        probe.httpGet.port,
      ]),
      [
        ["Startup", "/healthz", 8080],
        ["Liveness", "/healthz", 8080],
        ["Readiness", "/readyz", 8080],
      ],
    );
    assert.deepEqual(container.resources, { cpu: 0.5, memory: "1Gi" });
    const scale = app().inputs.template.scale;
    assert.equal(scale.minReplicas, 1);
    assert.equal(scale.maxReplicas, 5);
    assert.deepEqual(scale.rules, [
      { name: "http-concurrency", http: { metadata: { concurrentRequests: "10" } } },
    ]);
  });

  test("the app depends on its role assignment, database administrator and database", () => {
    const assignment = onlyResourceOfType(program, "azure-native:authorization:RoleAssignment");
    const administrator = onlyResourceOfType(
      program,
      "azure-native:dbforpostgresql:AdministratorsMicrosoftEntra",
    );
    const database = onlyResourceOfType(program, "azure-native:dbforpostgresql:Database");
    for (const prerequisite of [assignment, administrator, database]) {
      assert.ok(
        app().dependencies.includes(`${prerequisite.type}::${prerequisite.name}`),
        `${prerequisite.name} must be a dependency of the app (has ${app().dependencies.join(", ")})`,
      );
      assert.ok(prerequisite.order < app().order, `${prerequisite.name} must be registered before the app`);
    }
  });

  test("the app identity gets Key Vault Secrets User on the vault, and no AcrPull without a registry", () => {
    const assignment = onlyResourceOfType(program, "azure-native:authorization:RoleAssignment");
    assert.equal(
      assignment.inputs.roleDefinitionId,
      `/subscriptions/${MOCK_SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6`,
    );
    assert.match(assignment.inputs.scope, /Microsoft\.KeyVault\/vaults\/kv-contoso-x7k2p9$/);
    assert.equal(assignment.inputs.principalId, "11111111-1111-1111-1111-111111111111");
    assert.equal(assignment.inputs.principalType, "ServicePrincipal");
  });

  test("Key Vault is in RBAC mode with soft delete", () => {
    const vault = onlyResourceOfType(program, "azure-native:keyvault:Vault");
    assert.equal(vault.inputs.vaultName, "kv-contoso-x7k2p9");
    assert.equal(vault.inputs.properties.enableRbacAuthorization, true);
    assert.equal(vault.inputs.properties.enableSoftDelete, true);
    assert.equal(vault.inputs.properties.softDeleteRetentionInDays, 7);
    assert.equal(vault.inputs.resourceGroupName, "rg-customer-provided");
    // The configured region, not the existing group's (the mock group is in switzerlandnorth).
    assert.equal(vault.inputs.location, "northeurope");
  });

  test("rotation: generations 3 and 2 are both in SCIM_TOKENS, stored only as a secret", () => {
    const passwords = resourcesOfType(program, "random:index/randomPassword:RandomPassword");
    assert.deepEqual(passwords.map((password) => password.name).sort(), ["scim-token-g2", "scim-token-g3"]);
    const secret = onlyResourceOfType(program, "azure-native:keyvault:Secret");
    assert.equal(secret.inputs.secretName, "scim-tokens");
    assert.ok(
      isSecretWrapped(secret.inputs.properties),
      "the Key Vault secret's value must be a secret input",
    );
    const stored = (unwrapSecrets(secret.inputs.properties) as { value: string }).value;
    const [g2, g3] = [...program.generatedSecrets].sort();
    assert.equal(stored, `${g3},${g2}`);
  });

  test("no generated token or shared key appears as a plain input anywhere", () => {
    const secrets = [...program.generatedSecrets, MOCK_SHARED_KEY];
    assert.equal(program.generatedSecrets.length, 2);
    assert.deepEqual(findPlainSecrets(program.resources, secrets), []);
    const environment = onlyResourceOfType(program, "azure-native:app:ManagedEnvironment");
    assert.ok(isSecretWrapped(environment.inputs.appLogsConfiguration));
  });

  test("PostgreSQL is private, Entra-only and administered by the app identity", () => {
    const server = onlyResourceOfType(program, "azure-native:dbforpostgresql:Server");
    assert.equal(server.inputs.serverName, "psql-contoso-x7k2p9");
    assert.equal(server.inputs.network.publicNetworkAccess, "Disabled");
    assert.match(server.inputs.network.delegatedSubnetResourceId, /subnets?\/postgres$|postgres$/);
    assert.match(
      server.inputs.network.privateDnsZoneArmResourceId,
      /psql-contoso-x7k2p9\.private\.postgres\.database\.azure\.com$/,
    );
    assert.deepEqual(
      { ...server.inputs.authConfig, tenantId: undefined },
      { activeDirectoryAuth: "Enabled", passwordAuth: "Disabled", tenantId: undefined },
    );
    assert.equal(server.inputs.administratorLogin, undefined);
    assert.equal(server.inputs.administratorLoginPassword, undefined);
    assert.deepEqual(server.inputs.sku, { name: "Standard_B1ms", tier: "Burstable" });
    const link = onlyResourceOfType(program, "azure-native:privatedns:VirtualNetworkLink");
    assert.ok(
      server.dependencies.includes(`${link.type}::${link.name}`),
      "the DNS link must exist before the server",
    );
    const administrator = onlyResourceOfType(
      program,
      "azure-native:dbforpostgresql:AdministratorsMicrosoftEntra",
    );
    assert.equal(administrator.inputs.principalName, "id-scimkit-contoso");
    assert.equal(administrator.inputs.objectId, "11111111-1111-1111-1111-111111111111");
    assert.equal(administrator.inputs.principalType, "ServicePrincipal");
    const database = onlyResourceOfType(program, "azure-native:dbforpostgresql:Database");
    assert.equal(database.inputs.databaseName, "scimkit");
  });

  test("the network follows Microsoft's minimums: /24 delegated environment subnet, delegated database subnet", () => {
    const subnets = resourcesOfType(program, "azure-native:network:Subnet");
    const byName = Object.fromEntries(subnets.map((subnet) => [subnet.inputs.subnetName, subnet.inputs]));
    assert.equal(byName["container-apps"].addressPrefix, "10.42.0.0/24");
    assert.deepEqual(byName["container-apps"].delegations, [
      { name: "container-apps", serviceName: "Microsoft.App/environments" },
    ]);
    assert.equal(byName.postgres.addressPrefix, "10.42.1.0/27");
    assert.equal(byName.postgres.delegations[0].serviceName, "Microsoft.DBforPostgreSQL/flexibleServers");
    const environment = onlyResourceOfType(program, "azure-native:app:ManagedEnvironment");
    assert.deepEqual(environment.inputs.workloadProfiles, [
      { name: "Consumption", workloadProfileType: "Consumption" },
    ]);
    assert.equal(app().inputs.workloadProfileName, "Consumption");
  });

  test("the whole resource graph passes every policy of the policy pack", () => {
    const violations = program.resources.flatMap((resource) =>
      scimkitPolicies.flatMap((policy) =>
        violationsOf(policy, resource.type, unwrapSecrets(resource.inputs) as Record<string, unknown>).map(
          (message) => `${resource.name}: ${policy.name}: ${message}`,
        ),
      ),
    );
    assert.deepEqual(violations, []);
    assert.ok(program.resources.some((resource) => resource.type === "azure-native:app:ContainerApp"));
  });

  test("stack outputs: tenant URL, a secret token only as a secret, ids and portal link", async () => {
    assert.equal(
      program.outputs.tenantUrl,
      "https://scim-contoso.mockdomain-1a2b.westeurope.azurecontainerapps.io/api/v3/scim2",
    );
    const [g3] = [...program.generatedSecrets].sort().slice(-1);
    assert.equal(program.outputs.secretToken, g3);
    const index = (await import("../../../infra/index")) as { secretToken: pulumi.Output<string> };
    assert.equal(await pulumi.isSecret(index.secretToken), true);
    const azure = program.outputs.azure as Record<string, string>;
    assert.match(azure.containerAppId, /Microsoft\.App\/containerApps\/scim-contoso$/);
    assert.match(
      azure.portalUrl,
      /^https:\/\/portal\.azure\.com\/#@.+\/resource\/subscriptions\/.+\/resourceGroups\/rg-customer-provided\/overview$/,
    );
    assert.equal(azure.registryId, undefined);
    assert.equal(azure.subscriptionId, MOCK_SUBSCRIPTION_ID);
    assert.equal(program.outputs.subscriptionId, MOCK_SUBSCRIPTION_ID);
    assert.equal(program.outputs.resourceGroupName, "rg-customer-provided");
    assert.equal(azure.resourceGroupName, "rg-customer-provided");
  });
});
