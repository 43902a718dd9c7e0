/**
 * ScimService: one tenant's SCIM service on Azure Container Apps, with its tokens in Key Vault and its
 * data in a private PostgreSQL flexible server reached with the app's managed identity (no password).
 * Read the constructor as the recipe; the decisions it makes live in the pure functions below the class.
 */
import * as app from "@pulumi/azure-native/app";
import * as authorization from "@pulumi/azure-native/authorization";
import * as containerregistry from "@pulumi/azure-native/containerregistry";
import * as dbforpostgresql from "@pulumi/azure-native/dbforpostgresql";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as network from "@pulumi/azure-native/network";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as privatedns from "@pulumi/azure-native/privatedns";
import * as resources from "@pulumi/azure-native/resources";
import type * as azureInputs from "@pulumi/azure-native/types/input";
import * as dockerbuild from "@pulumi/docker-build";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { type ResourceNames, resourceNames } from "../azure/naming";
import {
  DATABASE_DELEGATION,
  type EnvironmentType,
  planSubnets,
  type SubnetPlan,
} from "../azure/network-plan";
import { postgresTierFor } from "../azure/postgres-sku";
import { acquireRegistryPushToken, REGISTRY_TOKEN_USERNAME } from "../azure/registry-push-token";
import { BUILT_IN_ROLES, roleDefinitionId } from "../azure/role-definitions";
import { findProjectRoot } from "../project-root";
import { SCIM_SERVICE_DEFAULTS as DEFAULTS } from "./scim-service-defaults";
import {
  ENVIRONMENT_VARIABLES as ENV,
  LIVENESS_PATH,
  READINESS_PATH,
  SERVICE_PORT,
  TOKENS_SECRET_NAME,
} from "./service-contract";

export interface ScimServiceArgs {
  /**
   * Azure region for everything the component creates.
   * @default "westeurope"
   */
  readonly location?: pulumi.Input<string>;
  /**
   * Deploy into this existing resource group instead of creating one. The stack never deletes it.
   * @default a new group named `rg-scimkit-<tenant>`
   */
  readonly existingResourceGroupName?: pulumi.Input<string>;
  /**
   * Base of the generated Azure names (sanitized); one stack per customer tenant.
   * @default pulumi.getStack()
   */
  readonly tenantName?: string;
  /**
   * Container Apps environment type. A plain value: it decides the subnet layout, which Azure can't change
   * after creation.
   * @default "workloadProfiles"
   */
  readonly environmentType?: EnvironmentType;
  /**
   * Address space of the virtual network; the environment and database subnets are carved from its start.
   * @default "10.42.0.0/16"
   */
  readonly vnetAddressSpace?: string;
  /**
   * Path under which the service answers SCIM requests; ends the tenant URL.
   * @default "/scim/v2"
   * @example "/api/v3/scim2"
   */
  readonly scimBasePath?: pulumi.Input<string>;
  /**
   * Fewest replicas. 0 lets an idle tenant cost nothing (Entra calls about every 40 minutes).
   * @default 0
   */
  readonly minReplicas?: pulumi.Input<number>;
  /** @default 3 */
  readonly maxReplicas?: pulumi.Input<number>;
  /**
   * Concurrent requests per replica before the HTTP scale rule adds one.
   * @default 10
   */
  readonly concurrentRequests?: pulumi.Input<number>;
  /**
   * vCPU per replica; with `memory` one of the Container Apps pairs (memory = 2 × cpu GiB).
   * @default 0.25
   */
  readonly cpu?: pulumi.Input<number>;
  /** @default "0.5Gi" */
  readonly memory?: pulumi.Input<string>;
  /**
   * Source addresses allowed to reach the ingress (all Allow rules; everything else is denied). Entra's
   * provisioning service calls from the `AzureActiveDirectory` service tag ranges: include them.
   * @default [] (no restriction)
   * @example ["20.190.128.0/18", "40.126.0.0/18"]
   */
  readonly allowedIpRanges?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Bump to rotate the bearer token: a new token is generated and the previous generation stays valid
   * until the next bump, so Entra never sees a 401 while its credentials are updated. A plain value: it
   * decides which token resources exist.
   * @default 1
   */
  readonly tokenGeneration?: number;
  /**
   * Prebuilt image pinned by digest. Without it, the repository's Dockerfile is built and pushed to a
   * registry the component creates.
   * @example "ghcr.io/acme/scimkit@sha256:3f5a…"
   */
  readonly image?: string;
  /**
   * Docker build context when `image` is not given; must contain the Dockerfile.
   * @default the directory holding Pulumi.yaml
   */
  readonly buildContext?: string;
  /** PostgreSQL flexible server sizing and database name. */
  readonly postgres?: ScimServicePostgresArgs;
  /**
   * Days a deleted Key Vault stays recoverable (and its name reserved). Azure allows 7–90.
   * @default 7
   */
  readonly keyVaultSoftDeleteRetentionDays?: pulumi.Input<number>;
  /** @default 30 */
  readonly logRetentionDays?: pulumi.Input<number>;
  /** Tags added to every Azure resource. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export interface ScimServicePostgresArgs {
  /** @default "Standard_B1ms" */
  readonly skuName?: pulumi.Input<string>;
  /**
   * Must match the SKU family: Burstable (B…), GeneralPurpose (D…), MemoryOptimized (E…).
   * @default derived from `skuName`
   */
  readonly tier?: pulumi.Input<string>;
  /** @default "16" */
  readonly version?: pulumi.Input<string>;
  /** @default 32 */
  readonly storageSizeGb?: pulumi.Input<number>;
  /** @default "scimkit" */
  readonly databaseName?: pulumi.Input<string>;
}

/** The Container Apps workload profile every replica runs on (serverless, scale to zero). */
const CONSUMPTION_PROFILE = "Consumption";

export class ScimService extends pulumi.ComponentResource {
  /** What an admin pastes as "Tenant URL" in Entra: `https://<fqdn><basePath>`. */
  readonly tenantUrl: pulumi.Output<string>;
  /** The newest bearer token (secret); resolves only once the app accepting it has been deployed. */
  readonly secretToken: pulumi.Output<string>;
  readonly subscriptionId: pulumi.Output<string>;
  readonly resourceGroupName: pulumi.Output<string>;
  readonly resourceGroupId: pulumi.Output<string>;
  readonly containerAppId: pulumi.Output<string>;
  readonly keyVaultId: pulumi.Output<string>;
  readonly postgresServerId: pulumi.Output<string>;
  readonly identityClientId: pulumi.Output<string>;
  readonly registryId: pulumi.Output<string | undefined>;
  /** Azure portal page of the resource group. */
  readonly portalUrl: pulumi.Output<string>;

  constructor(name: string, args: ScimServiceArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("scimkit:azure:ScimService", name, {}, opts);
    const parent = { parent: this };
    const plan = requireSubnetPlan(
      args.vnetAddressSpace ?? DEFAULTS.vnetAddressSpace,
      args.environmentType ?? DEFAULTS.environmentType,
    );
    const client = authorization.getClientConfigOutput(parent);
    const names = this.generateNames(name, args.tenantName ?? pulumi.getStack());
    const tags = args.tags ?? { "managed-by": "scimkit" };

    const group = this.resourceGroup(name, names, args);
    // An existing group may live in another region; the configured location wins for what we create.
    const at = {
      resourceGroupName: group.name,
      location: pulumi.output(args.location ?? group.location),
      tags,
    };
    const logs = this.logAnalytics(name, names, at, args);
    const net = this.network(name, names, at, args, plan);
    const identity = new managedidentity.UserAssignedIdentity(
      `${name}-identity`,
      { ...at, resourceName: names.identity },
      parent,
    );
    const vault = this.keyVault(name, names, at, args, client.tenantId);
    const tokens = this.tokens(name, at, args.tokenGeneration ?? DEFAULTS.tokenGeneration, vault);
    const image = this.image(name, names, at, args, client.tenantId);
    // Role assignments exist before the app that needs them (RBAC propagation race: a revision fails
    // when Key Vault Secrets User / AcrPull were granted moments earlier).
    const grants = this.grantAppIdentity(name, identity, client.subscriptionId, vault, image.registry);
    const database = this.database(name, names, at, args, net, identity, client.tenantId);
    const environment = this.environment(name, names, at, logs, net, args.environmentType);
    const containerApp = this.containerApp(name, names, at, args, {
      environment,
      identity,
      tokens,
      image,
      database,
      dependsOn: [...grants, database.administrator, database.database],
    });

    this.tenantUrl = pulumi
      .all([containerApp.configuration, args.scimBasePath ?? DEFAULTS.scimBasePath])
      .apply(([configuration, basePath]) => tenantUrlFor(configuration?.ingress?.fqdn, basePath));
    // Depending on the app's id makes Entra receive the new token only after the app accepts it.
    this.secretToken = pulumi.secret(
      pulumi.all([containerApp.id, tokens.newest.result]).apply(([, token]) => token),
    );
    this.subscriptionId = client.subscriptionId;
    this.resourceGroupName = group.name;
    this.resourceGroupId = group.id;
    this.containerAppId = containerApp.id;
    this.keyVaultId = vault.id;
    this.postgresServerId = database.server.id;
    this.identityClientId = identity.clientId;
    this.registryId = image.registry ? image.registry.id : pulumi.output(undefined);
    this.portalUrl = pulumi
      .all([client.tenantId, group.id])
      .apply(([tenantId, id]) => portalUrlFor(tenantId, id));
    this.registerOutputs({
      tenantUrl: this.tenantUrl,
      secretToken: this.secretToken,
      resourceGroupId: this.resourceGroupId,
      containerAppId: this.containerAppId,
      keyVaultId: this.keyVaultId,
      postgresServerId: this.postgresServerId,
      portalUrl: this.portalUrl,
    });
  }

  /** Names from the tenant plus a random suffix fixed for the stack's life (globally unique names). */
  private generateNames(name: string, tenantName: string): pulumi.Output<ResourceNames> {
    const suffix = new random.RandomString(
      `${name}-name-suffix`,
      { length: 6, special: false, upper: false, numeric: true, lower: true },
      { parent: this },
    );
    return suffix.result.apply((value) => resourceNames(tenantName, value));
  }

  private resourceGroup(name: string, names: pulumi.Output<ResourceNames>, args: ScimServiceArgs): GroupRef {
    if (args.existingResourceGroupName !== undefined) {
      const existing = resources.getResourceGroupOutput(
        { resourceGroupName: args.existingResourceGroupName },
        { parent: this },
      );
      return { name: existing.name, id: existing.id, location: existing.location };
    }
    const group = new resources.ResourceGroup(
      `${name}-group`,
      { resourceGroupName: names.resourceGroup, location: args.location ?? DEFAULTS.location },
      { parent: this },
    );
    return { name: group.name, id: group.id, location: group.location };
  }

  private logAnalytics(
    name: string,
    names: pulumi.Output<ResourceNames>,
    at: Placement,
    args: ScimServiceArgs,
  ) {
    const workspace = new operationalinsights.Workspace(
      `${name}-logs`,
      {
        ...at,
        workspaceName: names.logAnalyticsWorkspace,
        sku: { name: "PerGB2018" },
        retentionInDays: args.logRetentionDays ?? DEFAULTS.logRetentionDays,
      },
      { parent: this },
    );
    const keys = operationalinsights.getSharedKeysOutput(
      { resourceGroupName: at.resourceGroupName, workspaceName: workspace.name },
      { parent: this },
    );
    return { workspace, customerId: workspace.customerId, sharedKey: pulumi.secret(keys.primarySharedKey) };
  }

  private network(
    name: string,
    names: pulumi.Output<ResourceNames>,
    at: Placement,
    args: ScimServiceArgs,
    plan: SubnetPlan,
  ) {
    // Subnets are separate resources: azure-native (v2+) leaves subnets it wasn't given inline in place
    // when the virtual network itself is updated.
    const virtualNetwork = new network.VirtualNetwork(
      `${name}-vnet`,
      {
        ...at,
        virtualNetworkName: names.virtualNetwork,
        addressSpace: { addressPrefixes: [args.vnetAddressSpace ?? DEFAULTS.vnetAddressSpace] },
      },
      { parent: this },
    );
    const environmentSubnet = new network.Subnet(
      `${name}-environment-subnet`,
      {
        resourceGroupName: at.resourceGroupName,
        virtualNetworkName: virtualNetwork.name,
        subnetName: "container-apps",
        addressPrefix: plan.environmentSubnet,
        delegations: plan.environmentDelegation
          ? [{ name: "container-apps", serviceName: plan.environmentDelegation }]
          : [],
      },
      { parent: this },
    );
    // Azure updates one subnet of a network at a time ("AnotherOperationInProgress"): chain them.
    const databaseSubnet = new network.Subnet(
      `${name}-database-subnet`,
      {
        resourceGroupName: at.resourceGroupName,
        virtualNetworkName: virtualNetwork.name,
        subnetName: "postgres",
        addressPrefix: plan.databaseSubnet,
        delegations: [{ name: "postgres", serviceName: DATABASE_DELEGATION }],
      },
      { parent: this, dependsOn: [environmentSubnet] },
    );
    // Private access: the server gets an address in its subnet and a record in this zone, which must
    // end in .postgres.database.azure.com and be linked to the network before the server is created.
    const dnsZone = new privatedns.PrivateZone(
      `${name}-postgres-dns`,
      {
        resourceGroupName: at.resourceGroupName,
        location: "global",
        privateZoneName: names.apply((n) => privateDnsZoneName(n.postgresServer)),
        tags: at.tags,
      },
      { parent: this },
    );
    const dnsLink = new privatedns.VirtualNetworkLink(
      `${name}-postgres-dns-link`,
      {
        resourceGroupName: at.resourceGroupName,
        location: "global",
        privateZoneName: dnsZone.name,
        virtualNetwork: { id: virtualNetwork.id },
        registrationEnabled: false,
        tags: at.tags,
      },
      { parent: this },
    );
    return { virtualNetwork, environmentSubnet, databaseSubnet, dnsZone, dnsLink };
  }

  private keyVault(
    name: string,
    names: pulumi.Output<ResourceNames>,
    at: Placement,
    args: ScimServiceArgs,
    tenantId: pulumi.Input<string>,
  ): keyvault.Vault {
    return new keyvault.Vault(
      `${name}-vault`,
      {
        ...at,
        vaultName: names.keyVault,
        properties: {
          tenantId,
          sku: { family: "A", name: "standard" },
          // RBAC mode: access is Azure role assignments (auditable, scoped), not vault access policies.
          enableRbacAuthorization: true,
          // Soft delete is mandatory in Azure; the name stays reserved for the retention period after
          // `pulumi destroy` (hence the random suffix). Purge protection is left off on purpose: it can
          // never be turned off again and would block purging a trial tenant's vault.
          enableSoftDelete: true,
          softDeleteRetentionInDays:
            args.keyVaultSoftDeleteRetentionDays ?? DEFAULTS.keyVaultSoftDeleteRetentionDays,
        },
      },
      { parent: this },
    );
  }

  /**
   * The accepted bearer tokens: generation N (newest) and N−1, both written to one Key Vault secret
   * the service reads as SCIM_TOKENS. Each generation is its own RandomPassword, so bumping N creates
   * one new token and keeps N−1 unchanged.
   */
  private tokens(name: string, at: Placement, generation: number, vault: keyvault.Vault): TokenSet {
    const passwords = activeTokenGenerations(generation).map(
      (active) =>
        new random.RandomPassword(
          `${name}-token-g${active}`,
          // 64 alphanumerics ≈ 381 bits; no special characters so tokens never contain the list's comma.
          { length: 64, special: false },
          { parent: this, additionalSecretOutputs: ["result"] },
        ),
    );
    const secret = new keyvault.Secret(
      `${name}-tokens-secret`,
      {
        resourceGroupName: at.resourceGroupName,
        vaultName: vault.name,
        secretName: TOKENS_SECRET_NAME,
        properties: {
          value: pulumi.secret(pulumi.all(passwords.map((password) => password.result)).apply(joinTokens)),
          contentType: "text/plain; comma-separated SCIM bearer tokens",
        },
      },
      { parent: this },
    );
    return { newest: passwords[0], secret, generation };
  }

  private image(
    name: string,
    names: pulumi.Output<ResourceNames>,
    at: Placement,
    args: ScimServiceArgs,
    tenantId: pulumi.Output<string>,
  ): ImageRef {
    if (args.image !== undefined) return { reference: pulumi.output(args.image), registry: undefined };
    const registry = new containerregistry.Registry(
      `${name}-registry`,
      {
        ...at,
        registryName: names.containerRegistry,
        sku: { name: "Basic" },
        // Never the admin user: the app pulls with its identity (AcrPull), the deployer pushes with an
        // exchanged Entra token.
        adminUserEnabled: false,
      },
      { parent: this },
    );
    const contextDirectory = args.buildContext ?? findProjectRoot(__dirname);
    const pushToken = pulumi.secret(
      pulumi
        .all([registry.loginServer, tenantId])
        .apply(([loginServer, tenant]) =>
          pulumi.runtime.isDryRun() ? "" : acquireRegistryPushToken(loginServer, tenant),
        ),
    );
    const built = new dockerbuild.Image(
      `${name}-image`,
      {
        context: { location: contextDirectory },
        dockerfile: { location: `${contextDirectory}/Dockerfile` },
        // Container Apps runs linux/amd64 only.
        platforms: ["linux/amd64"],
        push: true,
        // Build during `pulumi up` only: a preview has no push credentials and needn't spend minutes.
        buildOnPreview: false,
        tags: [pulumi.interpolate`${registry.loginServer}/scimkit:${pulumi.getStack()}`],
        registries: [
          { address: registry.loginServer, username: REGISTRY_TOKEN_USERNAME, password: pushToken },
        ],
      },
      { parent: this },
    );
    // `ref` is tag@sha256:digest: the app always runs exactly the image this deployment built.
    return { reference: built.ref, registry };
  }

  private grantAppIdentity(
    name: string,
    identity: managedidentity.UserAssignedIdentity,
    subscriptionId: pulumi.Output<string>,
    vault: keyvault.Vault,
    registry: containerregistry.Registry | undefined,
  ): authorization.RoleAssignment[] {
    const grant = (suffix: string, scope: pulumi.Input<string>, roleId: string) =>
      new authorization.RoleAssignment(
        `${name}-${suffix}`,
        {
          scope,
          principalId: identity.principalId,
          // A principal type skips Entra lookups that fail while a new identity is still replicating.
          principalType: "ServicePrincipal",
          roleDefinitionId: subscriptionId.apply((id) => roleDefinitionId(id, roleId)),
        },
        { parent: this },
      );
    const grants = [grant("vault-secrets-user", vault.id, BUILT_IN_ROLES.keyVaultSecretsUser)];
    if (registry) grants.push(grant("acr-pull", registry.id, BUILT_IN_ROLES.acrPull));
    return grants;
  }

  private database(
    name: string,
    names: pulumi.Output<ResourceNames>,
    at: Placement,
    args: ScimServiceArgs,
    net: ReturnType<ScimService["network"]>,
    identity: managedidentity.UserAssignedIdentity,
    tenantId: pulumi.Output<string>,
  ) {
    const postgres = args.postgres ?? {};
    const skuName = postgres.skuName ?? DEFAULTS.postgresSku;
    const tier = postgres.tier ?? pulumi.output(skuName).apply(requirePostgresTier);
    const server = new dbforpostgresql.Server(
      `${name}-postgres`,
      {
        ...at,
        serverName: names.postgresServer,
        version: postgres.version ?? DEFAULTS.postgresVersion,
        sku: { name: skuName, tier },
        storage: { storageSizeGB: postgres.storageSizeGb ?? DEFAULTS.postgresStorageGb, autoGrow: "Enabled" },
        backup: { backupRetentionDays: 7, geoRedundantBackup: "Disabled" },
        highAvailability: { mode: "Disabled" },
        // Reachable only from the virtual network: delegated subnet, private DNS, no public endpoint.
        network: {
          delegatedSubnetResourceId: net.databaseSubnet.id,
          privateDnsZoneArmResourceId: net.dnsZone.id,
          publicNetworkAccess: "Disabled",
        },
        // Microsoft Entra authentication only: no administrator password exists anywhere.
        authConfig: { activeDirectoryAuth: "Enabled", passwordAuth: "Disabled", tenantId },
      },
      {
        parent: this,
        dependsOn: [net.dnsLink],
        customTimeouts: { create: "60m", update: "60m", delete: "60m" },
      },
    );
    // The app's identity is the server's Entra administrator: the service runs its own migrations and
    // owns its tables. PostgreSQL knows it by the identity's name, which is DATABASE_URL's user.
    const administrator = new dbforpostgresql.AdministratorsMicrosoftEntra(
      `${name}-postgres-entra-admin`,
      {
        resourceGroupName: at.resourceGroupName,
        serverName: server.name,
        objectId: identity.principalId,
        principalName: identity.name,
        principalType: "ServicePrincipal",
        tenantId,
      },
      { parent: this },
    );
    // A flexible server runs one management operation at a time ("ServerIsBusy"): chain them.
    const database = new dbforpostgresql.Database(
      `${name}-postgres-database`,
      {
        resourceGroupName: at.resourceGroupName,
        serverName: server.name,
        databaseName: postgres.databaseName ?? DEFAULTS.databaseName,
        charset: "UTF8",
        collation: "en_US.utf8",
      },
      { parent: this, dependsOn: [administrator] },
    );
    return { server, administrator, database };
  }

  private environment(
    name: string,
    names: pulumi.Output<ResourceNames>,
    at: Placement,
    logs: ReturnType<ScimService["logAnalytics"]>,
    net: ReturnType<ScimService["network"]>,
    environmentType: EnvironmentType = DEFAULTS.environmentType,
  ): app.ManagedEnvironment {
    return new app.ManagedEnvironment(
      `${name}-environment`,
      {
        ...at,
        environmentName: names.containerAppsEnvironment,
        appLogsConfiguration: {
          destination: "log-analytics",
          logAnalyticsConfiguration: { customerId: logs.customerId, sharedKey: logs.sharedKey },
        },
        vnetConfiguration: { infrastructureSubnetId: net.environmentSubnet.id, internal: false },
        workloadProfiles:
          environmentType === "workloadProfiles"
            ? [{ name: CONSUMPTION_PROFILE, workloadProfileType: CONSUMPTION_PROFILE }]
            : undefined,
      },
      // Environment deletion can sit in ScheduledForDelete for a long time.
      { parent: this, customTimeouts: { create: "45m", delete: "90m" } },
    );
  }

  private containerApp(
    name: string,
    names: pulumi.Output<ResourceNames>,
    at: Placement,
    args: ScimServiceArgs,
    parts: {
      environment: app.ManagedEnvironment;
      identity: managedidentity.UserAssignedIdentity;
      tokens: TokenSet;
      image: ImageRef;
      database: ReturnType<ScimService["database"]>;
      dependsOn: pulumi.Resource[];
    },
  ): app.ContainerApp {
    const { environment, identity, tokens, image, database } = parts;
    const workloadProfiles = (args.environmentType ?? DEFAULTS.environmentType) === "workloadProfiles";
    return new app.ContainerApp(
      `${name}-app`,
      {
        ...at,
        containerAppName: names.containerApp,
        managedEnvironmentId: environment.id,
        workloadProfileName: workloadProfiles ? CONSUMPTION_PROFILE : undefined,
        identity: { type: "UserAssigned", userAssignedIdentities: [identity.id] },
        configuration: {
          activeRevisionsMode: "Single",
          ingress: pulumi
            .output(args.allowedIpRanges ?? [])
            .apply((ranges) => buildIngress(SERVICE_PORT, ranges)),
          // Key Vault references resolved with the app's identity: no secret value in the app's config.
          secrets: [
            {
              name: TOKENS_SECRET_NAME,
              // The URI is not sensitive, but the engine marks every output of the secret-valued
              // `properties` secret; unsecret it so the app's configuration stays readable in diffs.
              // The versioned URI changes on rotation, so the app picks up the new value.
              keyVaultUrl: pulumi.unsecret(
                tokens.secret.properties.apply((properties) => properties.secretUriWithVersion),
              ),
              identity: identity.id,
            },
          ],
          registries: image.registry ? [{ server: image.registry.loginServer, identity: identity.id }] : [],
        },
        template: {
          containers: [
            {
              name: "scim",
              image: image.reference,
              resources: { cpu: args.cpu ?? DEFAULTS.cpu, memory: args.memory ?? DEFAULTS.memory },
              env: buildEnvironmentVariables({
                basePath: args.scimBasePath ?? DEFAULTS.scimBasePath,
                databaseUrl: pulumi
                  .all([database.server.fullyQualifiedDomainName, identity.name, database.database.name])
                  .apply(([host, user, databaseName]) => buildDatabaseUrl(host, user, databaseName)),
                managedIdentityClientId: identity.clientId,
                tokenGeneration: tokens.generation,
              }),
              probes: buildProbes(SERVICE_PORT),
            },
          ],
          scale: buildScale(
            args.minReplicas ?? DEFAULTS.minReplicas,
            args.maxReplicas ?? DEFAULTS.maxReplicas,
            args.concurrentRequests ?? DEFAULTS.concurrentRequests,
          ),
        },
      },
      { parent: this, dependsOn: parts.dependsOn },
    );
  }
}

interface GroupRef {
  readonly name: pulumi.Output<string>;
  readonly id: pulumi.Output<string>;
  readonly location: pulumi.Output<string>;
}

interface Placement {
  readonly resourceGroupName: pulumi.Output<string>;
  readonly location: pulumi.Output<string>;
  readonly tags: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

interface TokenSet {
  readonly newest: random.RandomPassword;
  readonly secret: keyvault.Secret;
  readonly generation: number;
}

interface ImageRef {
  readonly reference: pulumi.Output<string>;
  readonly registry: containerregistry.Registry | undefined;
}

// ————— Decisions: pure functions, unit-tested in test/infra/components/scim-service.test.ts —————

export function requireSubnetPlan(addressSpace: string, environmentType: EnvironmentType): SubnetPlan {
  const plan = planSubnets(addressSpace, environmentType);
  if (typeof plan === "string") throw new Error(`ScimService vnetAddressSpace: ${plan}`);
  return plan;
}

/** Generations whose tokens are accepted: the newest first, then the previous one (if any). */
export function activeTokenGenerations(generation: number): number[] {
  if (!Number.isInteger(generation) || generation < 1) {
    throw new Error(`tokenGeneration must be a whole number of at least 1 (got ${generation})`);
  }
  return generation === 1 ? [1] : [generation, generation - 1];
}

export function joinTokens(tokens: readonly string[]): string {
  return tokens.join(",");
}

export function requirePostgresTier(skuName: string): string {
  const tier = postgresTierFor(skuName);
  if (!tier)
    throw new Error(
      `ScimService postgres.skuName "${skuName}" is not a flexible server size like Standard_B1ms`,
    );
  return tier;
}

export function privateDnsZoneName(serverName: string): string {
  return `${serverName}.private.postgres.database.azure.com`;
}

/**
 * External HTTPS-only ingress. `allowInsecure: false` makes Container Apps redirect HTTP to HTTPS; TLS
 * ends at the ingress. IP restrictions are all Allow rules (Azure rejects mixing Allow and Deny); with
 * none, anyone may connect and the bearer token is the gate.
 */
export function buildIngress(
  targetPort: number,
  allowedIpRanges: readonly string[],
): azureInputs.app.IngressArgs {
  return {
    external: true,
    targetPort,
    transport: "http",
    allowInsecure: false,
    traffic: [{ latestRevision: true, weight: 100 }],
    ipSecurityRestrictions: allowedIpRanges.length > 0 ? buildIpAllowList(allowedIpRanges) : undefined,
  };
}

export function buildIpAllowList(ranges: readonly string[]): azureInputs.app.IpSecurityRestrictionRuleArgs[] {
  return ranges.map((range, index) => ({
    name: `allow-${index + 1}`,
    action: "Allow",
    ipAddressRange: range.includes("/") ? range : `${range}/32`,
    description: "scimkit:allowedIpRanges",
  }));
}

/**
 * Our own probes replace the TCP probes Container Apps would inject. Liveness never touches the
 * database (a database blip must not restart replicas); readiness does. Container Apps limits
 * failureThreshold to 1–10: the startup probe allows 10 × 3 s for start-up and migrations.
 */
export function buildProbes(port: number): azureInputs.app.ContainerAppProbeArgs[] {
  return [
    {
      type: "Startup",
      httpGet: { path: LIVENESS_PATH, port, scheme: "HTTP" },
      initialDelaySeconds: 1,
      periodSeconds: 3,
      timeoutSeconds: 2,
      failureThreshold: 10,
    },
    {
      type: "Liveness",
      httpGet: { path: LIVENESS_PATH, port, scheme: "HTTP" },
      periodSeconds: 10,
      timeoutSeconds: 3,
      failureThreshold: 3,
    },
    {
      type: "Readiness",
      httpGet: { path: READINESS_PATH, port, scheme: "HTTP" },
      periodSeconds: 5,
      timeoutSeconds: 3,
      failureThreshold: 3,
    },
  ];
}

export function buildScale(
  minReplicas: pulumi.Input<number>,
  maxReplicas: pulumi.Input<number>,
  concurrentRequests: pulumi.Input<number>,
): azureInputs.app.ScaleArgs {
  return {
    minReplicas,
    maxReplicas,
    rules: [
      {
        name: "http-concurrency",
        http: { metadata: { concurrentRequests: pulumi.output(concurrentRequests).apply(String) } },
      },
    ],
  };
}

/** `sslmode=require`: Azure's flexible server only accepts TLS connections. */
export function buildDatabaseUrl(host: string, user: string, databaseName: string): string {
  return `postgres://${encodeURIComponent(user)}@${host}:5432/${encodeURIComponent(databaseName)}?sslmode=require`;
}

export interface ServiceEnvironment {
  readonly basePath: pulumi.Input<string>;
  readonly databaseUrl: pulumi.Input<string>;
  readonly managedIdentityClientId: pulumi.Input<string>;
  readonly tokenGeneration: number;
}

/** The service's environment; the tokens come only through the Key Vault-backed secret reference. */
export function buildEnvironmentVariables(service: ServiceEnvironment): azureInputs.app.EnvironmentVarArgs[] {
  return [
    { name: ENV.port, value: String(SERVICE_PORT) },
    { name: ENV.nodeEnvironment, value: "production" },
    { name: ENV.basePath, value: service.basePath },
    { name: ENV.databaseUrl, value: service.databaseUrl },
    // Passwordless: the service asks @azure/identity for a token of this managed identity.
    { name: ENV.databaseAuthentication, value: "azure" },
    { name: ENV.managedIdentityClientId, value: service.managedIdentityClientId },
    { name: ENV.tokens, secretRef: TOKENS_SECRET_NAME },
    // Container Apps ingress terminates TLS and forwards X-Forwarded-Proto/-Host: resource locations
    // (meta.location, Location) must use the public https:// host Entra called.
    { name: ENV.trustProxy, value: "true" },
    { name: ENV.tokenGeneration, value: String(service.tokenGeneration) },
  ];
}

export function tenantUrlFor(fqdn: string | undefined, basePath: string): string {
  if (!fqdn) throw new Error("the Container App has no ingress FQDN; is ingress enabled?");
  return `https://${fqdn}${basePath}`;
}

export function portalUrlFor(tenantId: string, resourceId: string): string {
  return `https://portal.azure.com/#@${tenantId}/resource${resourceId}/overview`;
}
