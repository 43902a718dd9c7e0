/**
 * THE one place that reads and validates the stack's configuration. Every key is declared (type,
 * description, default, secret-ness) in Pulumi.yaml; `Pulumi.dev.yaml` is a documented example.
 * `loadConfig()` reads everything once and throws a single error naming each bad key and how to fix it,
 * before any resource is registered.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { checkCpuMemoryPair } from "./azure/container-resources";
import { type EnvironmentType, parseIpv4Cidr, planSubnets, type SubnetPlan } from "./azure/network-plan";
import { type PostgresTier, postgresTierFor } from "./azure/postgres-sku";
import { SCIM_SERVICE_DEFAULTS as DEFAULTS } from "./components/scim-service-defaults";
import { ConfigReader } from "./config-reader";
import { type EntraConfig, readEntraConfig } from "./entra/config";
import { findProjectRoot } from "./project-root";
import { readTrialConfig, type TrialConfig } from "./trial/trial-config";

export const CONFIG_NAMESPACE = "scimkit";

/** Deploy the SCIM service to Azure Container Apps (`scimkit:deployService` true, the default). */
export interface DeployServiceConfig {
  readonly mode: "deploy";
  readonly location: string;
  /** Deploy into this resource group instead of creating one (it is then never deleted by the stack). */
  readonly existingResourceGroupName: string | undefined;
  readonly environmentType: EnvironmentType;
  readonly vnetAddressSpace: string;
  readonly subnets: SubnetPlan;
  readonly scimBasePath: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly concurrentRequests: number;
  readonly cpu: number;
  readonly memory: string;
  readonly allowedIpRanges: readonly string[];
  readonly tokenGeneration: number;
  readonly image: ImageSource;
  readonly postgres: PostgresConfig;
  readonly keyVaultSoftDeleteRetentionDays: number;
  readonly logRetentionDays: number;
}

export type ImageSource =
  | { readonly kind: "prebuilt"; readonly reference: string }
  | { readonly kind: "build"; readonly contextDirectory: string; readonly dockerfile: string };

export interface PostgresConfig {
  readonly skuName: string;
  readonly tier: PostgresTier;
  readonly version: string;
  readonly storageSizeGb: number;
  readonly databaseName: string;
}

/** Use an already running SCIM endpoint (a vendor's, e.g. Cleanmail's) and deploy nothing to Azure. */
export interface ExistingEndpointConfig {
  readonly mode: "existing";
  readonly tenantUrl: string;
  readonly secretToken: pulumi.Output<string>;
}

export type ServiceConfig = DeployServiceConfig | ExistingEndpointConfig;

export interface StackConfig {
  /** The SCIM endpoint: deployed to Azure (infra/components/scim-service.ts) or brought. */
  readonly service: ServiceConfig;
  /** Entra provisioning against that endpoint (infra/entra/config.ts). */
  readonly entra: EntraConfig;
  /** Trial mode: test users provisioned on demand (infra/trial/trial-config.ts). */
  readonly trial: TrialConfig;
}

/**
 * @param config the `scimkit` config namespace
 * @param isSecretKey whether a full key (`scimkit:x`) is stored encrypted; tests pass their own
 */
export function loadConfig(
  config: pulumi.Config = new pulumi.Config(CONFIG_NAMESPACE),
  isSecretKey?: (fullKey: string) => boolean,
): StackConfig {
  const reader = new ConfigReader(config, isSecretKey);
  // One reader for every part, so a single error lists all bad keys of the stack.
  const service = readServiceConfig(reader);
  const entra = readEntraConfig(config, reader);
  const trial = readTrialConfig(config, reader);
  reader.throwIfInvalid();
  return { service, entra, trial };
}

/** The service part alone; problems are recorded on `reader` (call `reader.throwIfInvalid()`). */
export function readServiceConfig(reader: ConfigReader): ServiceConfig {
  const deployService = reader.boolean("deployService", true);
  return deployService ? readDeployServiceConfig(reader) : readExistingEndpointConfig(reader);
}

function readExistingEndpointConfig(reader: ConfigReader): ExistingEndpointConfig {
  const tenantUrl = reader.string("existingTenantUrl");
  if (tenantUrl === undefined) {
    reader.fail(
      "existingTenantUrl",
      "is required when scimkit:deployService is false; set it to the SCIM base URL Entra should call, " +
        "e.g. `pulumi config set scimkit:existingTenantUrl https://cloud.cleanmail.ch/api/v3/scim2`",
    );
  } else {
    const problem = checkTenantUrl(tenantUrl);
    if (problem) reader.fail("existingTenantUrl", problem);
  }
  const secretToken = reader.secret("existingSecretToken");
  if (secretToken === undefined) {
    reader.fail(
      "existingSecretToken",
      "is required when scimkit:deployService is false; set the endpoint's bearer token with " +
        "`pulumi config set --secret scimkit:existingSecretToken <token>`",
    );
  }
  for (const deployOnlyKey of DEPLOY_ONLY_KEYS) {
    if (reader.has(deployOnlyKey)) {
      reader.fail(deployOnlyKey, "has no effect when scimkit:deployService is false; remove it");
    }
  }
  return { mode: "existing", tenantUrl: tenantUrl ?? "", secretToken: secretToken ?? pulumi.secret("") };
}

/** Keys that only make sense when the service is deployed; rejected in bring-your-own-endpoint mode. */
const DEPLOY_ONLY_KEYS = [
  "existingResourceGroupName",
  "image",
  "minReplicas",
  "maxReplicas",
  "tokenGeneration",
  "allowedIpRanges",
] as const;

function readDeployServiceConfig(reader: ConfigReader): DeployServiceConfig {
  for (const existingOnlyKey of ["existingTenantUrl", "existingSecretToken"]) {
    if (reader.has(existingOnlyKey)) {
      reader.fail(
        existingOnlyKey,
        "is only used when scimkit:deployService is false; remove it, or set scimkit:deployService false",
      );
    }
  }
  const location = reader.string("location", DEFAULTS.location);
  if (!/^[a-z0-9]+$/.test(location)) {
    reader.fail(
      "location",
      `must be an Azure region name like westeurope or switzerlandnorth (got "${location}")`,
    );
  }
  const environmentType = reader.oneOf(
    "environmentType",
    ["workloadProfiles", "consumptionOnly"] as const,
    DEFAULTS.environmentType,
  );
  const vnetAddressSpace = reader.string("vnetAddressSpace", DEFAULTS.vnetAddressSpace);
  const plan = planSubnets(vnetAddressSpace, environmentType);
  if (typeof plan === "string") reader.fail("vnetAddressSpace", plan);

  const minReplicas = reader.integer("minReplicas", { min: 0, max: 30 }, DEFAULTS.minReplicas);
  const maxReplicas = reader.integer("maxReplicas", { min: 1, max: 30 }, DEFAULTS.maxReplicas);
  if (minReplicas > maxReplicas) {
    reader.fail("minReplicas", `must not exceed scimkit:maxReplicas (got ${minReplicas} > ${maxReplicas})`);
  }
  const cpu = reader.number("cpu", DEFAULTS.cpu);
  const memory = reader.string("memory", DEFAULTS.memory);
  const sizeProblem = checkCpuMemoryPair(cpu, memory);
  if (sizeProblem) reader.fail("cpu", `and scimkit:memory: ${sizeProblem}`);

  return {
    mode: "deploy",
    location,
    existingResourceGroupName: reader.string("existingResourceGroupName"),
    environmentType,
    vnetAddressSpace,
    subnets: typeof plan === "string" ? PLACEHOLDER_PLAN : plan,
    scimBasePath: readBasePath(reader),
    minReplicas,
    maxReplicas,
    concurrentRequests: reader.integer(
      "concurrentRequests",
      { min: 1, max: 1000 },
      DEFAULTS.concurrentRequests,
    ),
    cpu,
    memory,
    allowedIpRanges: readAllowedIpRanges(reader),
    tokenGeneration: reader.integer("tokenGeneration", { min: 1, max: 1_000_000 }, DEFAULTS.tokenGeneration),
    image: readImageSource(reader),
    postgres: readPostgresConfig(reader),
    keyVaultSoftDeleteRetentionDays: reader.integer(
      "keyVaultSoftDeleteRetentionDays",
      { min: 7, max: 90 },
      DEFAULTS.keyVaultSoftDeleteRetentionDays,
    ),
    logRetentionDays: reader.integer("logRetentionDays", { min: 30, max: 730 }, DEFAULTS.logRetentionDays),
  };
}

/** Only returned alongside recorded problems, which make loadConfig throw before anything uses it. */
const PLACEHOLDER_PLAN: SubnetPlan = {
  environmentSubnet: "",
  environmentDelegation: undefined,
  databaseSubnet: "",
};

function readBasePath(reader: ConfigReader): string {
  const basePath = reader.string("scimBasePath", DEFAULTS.scimBasePath);
  if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(basePath)) {
    reader.fail(
      "scimBasePath",
      `must start with "/" and contain only path segments, without a trailing slash, e.g. /scim/v2 or /api/v3/scim2 (got "${basePath}")`,
    );
  }
  return basePath;
}

function readAllowedIpRanges(reader: ConfigReader): string[] {
  const ranges = reader.stringList("allowedIpRanges");
  for (const range of ranges) {
    const parsed = parseIpv4Cidr(range.includes("/") ? range : `${range}/32`);
    if (typeof parsed === "string") reader.fail("allowedIpRanges", `entry ${parsed}`);
  }
  return ranges;
}

/** A digest pins the exact image: a tag can be moved under a running tenant without any deployment. */
const PINNED_IMAGE =
  /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)+(?::[\w.-]+)?@sha256:[0-9a-f]{64}$/;

function readImageSource(reader: ConfigReader): ImageSource {
  const reference = reader.string("image");
  if (reference !== undefined) {
    if (!PINNED_IMAGE.test(reference)) {
      reader.fail(
        "image",
        `must be a registry image pinned by digest, e.g. ghcr.io/acme/scimkit@sha256:<64 hex digits> (got "${reference}"); ` +
          "find the digest with `docker buildx imagetools inspect <image:tag>`, or remove the key to build this repository's Dockerfile",
      );
    }
    return { kind: "prebuilt", reference };
  }
  const contextDirectory = findProjectRoot(__dirname);
  return { kind: "build", contextDirectory, dockerfile: path.join(contextDirectory, "Dockerfile") };
}

function readPostgresConfig(reader: ConfigReader): PostgresConfig {
  const skuName = reader.string("postgresSku", DEFAULTS.postgresSku);
  const tier = postgresTierFor(skuName);
  if (tier === undefined) {
    reader.fail(
      "postgresSku",
      `must be a flexible server compute size like Standard_B1ms (Burstable), Standard_D2ds_v5 or Standard_E2ds_v5 (got "${skuName}")`,
    );
  }
  const databaseName = reader.string("databaseName", DEFAULTS.databaseName);
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(databaseName)) {
    reader.fail(
      "databaseName",
      `must be a lowercase PostgreSQL identifier like scimkit (got "${databaseName}")`,
    );
  }
  return {
    skuName,
    tier: tier ?? "Burstable",
    version: reader.oneOf("postgresVersion", ["14", "15", "16", "17"] as const, DEFAULTS.postgresVersion),
    storageSizeGb: reader.integer("postgresStorageGb", { min: 32, max: 16384 }, DEFAULTS.postgresStorageGb),
    databaseName,
  };
}

/** Returns a problem description when `url` cannot be a tenant URL Entra would call. */
export function checkTenantUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `must be an absolute https URL like https://cloud.cleanmail.ch/api/v3/scim2 (got "${url}")`;
  }
  if (parsed.protocol !== "https:") return `must use https: Entra only calls HTTPS endpoints (got "${url}")`;
  if (parsed.search || parsed.hash || parsed.username || parsed.password) {
    return `must not contain a query string, fragment or credentials (got "${parsed.origin}${parsed.pathname}…")`;
  }
  return undefined;
}
