import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { SCIM_SERVICE_DEFAULTS } from "../../infra/components/scim-service-defaults";
import { type DeployServiceConfig, type ExistingEndpointConfig, loadConfig } from "../../infra/config";

const repositoryRoot = path.resolve(__dirname, "../..");

/** A stand-in for pulumi.Config("scimkit") over plain values; records which keys were read. */
function stackConfig(values: Record<string, unknown>, read: Set<string> = new Set()): pulumi.Config {
  const raw = (key: string) => {
    read.add(key);
    const value = values[key];
    if (value === undefined) return undefined;
    return typeof value === "string" ? value : JSON.stringify(value);
  };
  return {
    name: "scimkit",
    get: raw,
    getSecret: (key: string) => {
      const value = raw(key);
      return value === undefined ? undefined : pulumi.secret(value);
    },
  } as unknown as pulumi.Config;
}

/** Keys the stand-in stack stores encrypted. */
const encrypted = (fullKey: string) => fullKey === "scimkit:existingSecretToken";

function deployConfig(values: Record<string, unknown>): DeployServiceConfig {
  const { service } = loadConfig(stackConfig(values), encrypted);
  assert.equal(service.mode, "deploy");
  return service as DeployServiceConfig;
}

function configError(values: Record<string, unknown>): string {
  try {
    loadConfig(stackConfig(values), encrypted);
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail(`config ${JSON.stringify(values)} was accepted`);
}

describe("loadConfig: deploying the service", () => {
  test("an empty stack config is a trial deployment that builds the repository's image", () => {
    const service = deployConfig({});
    assert.equal(service.location, "westeurope");
    assert.equal(service.minReplicas, 0);
    assert.equal(service.maxReplicas, 3);
    assert.equal(service.tokenGeneration, 1);
    assert.equal(service.environmentType, "workloadProfiles");
    assert.deepEqual(service.subnets, {
      environmentSubnet: "10.42.0.0/24",
      environmentDelegation: "Microsoft.App/environments",
      databaseSubnet: "10.42.1.0/27",
    });
    assert.deepEqual(service.image, {
      kind: "build",
      contextDirectory: repositoryRoot,
      dockerfile: path.join(repositoryRoot, "Dockerfile"),
    });
    assert.deepEqual(service.postgres, {
      skuName: "Standard_B1ms",
      tier: "Burstable",
      version: "16",
      storageSizeGb: 32,
      databaseName: "scimkit",
    });
  });

  test("explicit values are taken, including a digest-pinned image and a GeneralPurpose database", () => {
    const digest = "b".repeat(64);
    const service = deployConfig({
      location: "switzerlandnorth",
      environmentType: "consumptionOnly",
      vnetAddressSpace: "172.20.0.0/22",
      minReplicas: "2",
      maxReplicas: "10",
      cpu: "1",
      memory: "2Gi",
      allowedIpRanges: ["20.190.128.0/18"],
      image: `myregistry.azurecr.io/team/scimkit@sha256:${digest}`,
      postgresSku: "Standard_D2ds_v5",
      scimBasePath: "/api/v3/scim2",
    });
    assert.equal(service.location, "switzerlandnorth");
    assert.deepEqual(service.subnets, {
      environmentSubnet: "172.20.0.0/23",
      environmentDelegation: undefined,
      databaseSubnet: "172.20.2.0/27",
    });
    assert.deepEqual(service.image, {
      kind: "prebuilt",
      reference: `myregistry.azurecr.io/team/scimkit@sha256:${digest}`,
    });
    assert.equal(service.postgres.tier, "GeneralPurpose");
    assert.deepEqual(service.allowedIpRanges, ["20.190.128.0/18"]);
    assert.equal(service.scimBasePath, "/api/v3/scim2");
  });

  const rejected: Array<[string, Record<string, unknown>, RegExp]> = [
    [
      "maxReplicas out of range",
      { maxReplicas: "50" },
      /scimkit:maxReplicas must be between 1 and 30 \(got 50\)/,
    ],
    [
      "minReplicas not a whole number",
      { minReplicas: "one" },
      /scimkit:minReplicas must be a whole number between 0 and 30 \(got "one"\)/,
    ],
    [
      "minReplicas above maxReplicas",
      { minReplicas: "5", maxReplicas: "2" },
      /scimkit:minReplicas must not exceed scimkit:maxReplicas \(got 5 > 2\)/,
    ],
    [
      "cpu/memory pair Azure rejects",
      { cpu: "0.5", memory: "4Gi" },
      /scimkit:cpu and scimkit:memory: cpu 0\.5 with memory 4Gi is not a valid Container Apps size; use one of 0\.25\/0\.5Gi/,
    ],
    [
      "tag-only image",
      { image: "ghcr.io/acme/scimkit:1.0" },
      /scimkit:image must be a registry image pinned by digest/,
    ],
    [
      "short digest",
      { image: "ghcr.io/acme/scimkit@sha256:abc" },
      /scimkit:image must be a registry image pinned by digest/,
    ],
    [
      "address space too small",
      { vnetAddressSpace: "10.0.0.0/24" },
      /scimkit:vnetAddressSpace 10\.0\.0\.0\/24 is too small: a workloadProfiles environment needs a \/24 plus a \/27 for PostgreSQL; use a \/23 or larger/,
    ],
    [
      "address space with host bits",
      { vnetAddressSpace: "10.0.0.1/16" },
      /scimkit:vnetAddressSpace "10\.0\.0\.1\/16" has host bits set; use 10\.0\.0\.0\/16/,
    ],
    [
      "unknown environment type",
      { environmentType: "dedicated" },
      /scimkit:environmentType must be one of workloadProfiles, consumptionOnly \(got "dedicated"\)/,
    ],
    [
      "base path with trailing slash",
      { scimBasePath: "/scim/v2/" },
      /scimkit:scimBasePath must start with "\/"/,
    ],
    [
      "IP allow-list entry that is no address",
      { allowedIpRanges: ["entra"] },
      /scimkit:allowedIpRanges entry "entra\/32" is not an IPv4 CIDR/,
    ],
    [
      "IP allow-list that is no list",
      { allowedIpRanges: "1.2.3.4" },
      /scimkit:allowedIpRanges must be a list of strings/,
    ],
    [
      "token generation zero",
      { tokenGeneration: "0" },
      /scimkit:tokenGeneration must be between 1 and 1000000 \(got 0\)/,
    ],
    [
      "PostgreSQL size that is no flexible server SKU",
      { postgresSku: "B1ms" },
      /scimkit:postgresSku must be a flexible server compute size like Standard_B1ms/,
    ],
    [
      "region with spaces",
      { location: "West Europe" },
      /scimkit:location must be an Azure region name like westeurope/,
    ],
    [
      "deployService not a boolean",
      { deployService: "yes" },
      /scimkit:deployService must be true or false \(got "yes"\)/,
    ],
    [
      "Key Vault retention below Azure's minimum",
      { keyVaultSoftDeleteRetentionDays: "3" },
      /scimkit:keyVaultSoftDeleteRetentionDays must be between 7 and 90 \(got 3\)/,
    ],
    [
      "existing-endpoint keys while deploying",
      { existingTenantUrl: "https://x.example/scim" },
      /scimkit:existingTenantUrl is only used when scimkit:deployService is false/,
    ],
  ];
  for (const [what, values, message] of rejected) {
    test(`rejects ${what}`, () => assert.match(configError(values), message));
  }

  test("reports every bad key at once", () => {
    const message = configError({ maxReplicas: "50", cpu: "3", tokenGeneration: "-1" });
    assert.match(message, /^Invalid stack configuration:\n/);
    assert.match(message, /scimkit:maxReplicas/);
    assert.match(message, /scimkit:cpu/);
    assert.match(message, /scimkit:tokenGeneration/);
  });
});

describe("loadConfig: bringing an existing endpoint", () => {
  test("takes the tenant URL and the secret token", async () => {
    const { service } = loadConfig(
      stackConfig({
        deployService: "false",
        existingTenantUrl: "https://cloud.cleanmail.ch/api/v3/scim2",
        existingSecretToken: "s3cret-token-value",
      }),
      encrypted,
    );
    assert.equal(service.mode, "existing");
    const existing = service as ExistingEndpointConfig;
    assert.equal(existing.tenantUrl, "https://cloud.cleanmail.ch/api/v3/scim2");
    assert.equal(await pulumi.isSecret(existing.secretToken), true);
  });

  test("requires both the URL and the token, saying how to set them", () => {
    const message = configError({ deployService: "false" });
    assert.match(message, /scimkit:existingTenantUrl is required when scimkit:deployService is false/);
    assert.match(message, /pulumi config set --secret scimkit:existingSecretToken <token>/);
  });

  test("rejects a plain-HTTP URL and a URL with a query string without echoing the query", () => {
    assert.match(
      configError({
        deployService: "false",
        existingTenantUrl: "http://scim.example.com/scim",
        existingSecretToken: "t",
      }),
      /scimkit:existingTenantUrl must use https/,
    );
    const message = configError({
      deployService: "false",
      existingTenantUrl: "https://scim.example.com/scim?token=leaky",
      existingSecretToken: "t",
    });
    assert.match(message, /must not contain a query string/);
    assert.doesNotMatch(message, /leaky/);
  });

  test("refuses a token stored in plain text, without echoing it", () => {
    const values = {
      deployService: "false",
      existingTenantUrl: "https://cloud.cleanmail.ch/api/v3/scim2",
      existingSecretToken: "plain-text-token-123",
    };
    let message = "";
    try {
      loadConfig(stackConfig(values), () => false);
    } catch (error) {
      message = (error as Error).message;
    }
    assert.match(
      message,
      /scimkit:existingSecretToken must be stored encrypted; set it again with `pulumi config set --secret scimkit:existingSecretToken <value>`/,
    );
    assert.doesNotMatch(message, /plain-text-token-123/);
  });

  test("treats an empty value (the declared default of optional keys) as unset", () => {
    const service = deployConfig({
      image: "",
      existingResourceGroupName: "",
      existingTenantUrl: "",
      existingSecretToken: "",
    });
    assert.equal(service.image.kind, "build");
    assert.equal(service.existingResourceGroupName, undefined);
  });

  test("rejects deployment-only keys, which would silently do nothing", () => {
    assert.match(
      configError({
        deployService: "false",
        existingTenantUrl: "https://cloud.cleanmail.ch/api/v3/scim2",
        existingSecretToken: "t",
        minReplicas: "1",
      }),
      /scimkit:minReplicas has no effect when scimkit:deployService is false; remove it/,
    );
  });
});

describe("Pulumi.yaml config declarations", () => {
  const project = parse(fs.readFileSync(path.join(repositoryRoot, "Pulumi.yaml"), "utf8")) as {
    config: Record<string, { type?: string; description?: string; default?: unknown; secret?: boolean }>;
  };
  const declared = (key: string) => project.config[key] ?? project.config[`scimkit:${key}`];

  test("declares every key loadConfig reads, with a type and a description", () => {
    const read = new Set<string>();
    loadConfig(stackConfig({}, read), encrypted);
    loadConfig(
      stackConfig(
        { deployService: "false", existingTenantUrl: "https://a.example/scim", existingSecretToken: "t" },
        read,
      ),
      encrypted,
    );
    assert.ok(read.size > 15, "loadConfig reads its keys through the given Config");
    for (const key of read) {
      const declaration = declared(key);
      assert.ok(declaration, `Pulumi.yaml must declare ${key}`);
      assert.ok(declaration.type, `${key} needs a type`);
      assert.ok(declaration.description, `${key} needs a description`);
    }
  });

  test("declared defaults match the component's defaults, and the token is secret without a default", () => {
    for (const [key, value] of Object.entries(SCIM_SERVICE_DEFAULTS)) {
      const declaration = declared(key);
      assert.ok(declaration, `Pulumi.yaml must declare ${key}`);
      assert.equal(String(declaration.default), String(value), `default of ${key}`);
    }
    // Pulumi rejects a plaintext default on a `secret: true` key and requires typed keys without a
    // default in every stack, so the optional token is declared with "" and the program enforces
    // encryption (see the test above).
    assert.equal(declared("existingSecretToken").default, "");
    assert.match(String(declared("existingSecretToken").description), /--secret/);
  });

  test("the example stack file is valid config", () => {
    const example = parse(fs.readFileSync(path.join(repositoryRoot, "Pulumi.dev.yaml"), "utf8")) as {
      config: Record<string, unknown>;
    };
    const values: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(example.config)) {
      if (key.startsWith("scimkit:")) values[key.slice("scimkit:".length)] = value;
    }
    assert.ok(Object.keys(values).length > 3);
    assert.equal(loadConfig(stackConfig(values), encrypted).service.mode, "deploy");
  });
});
