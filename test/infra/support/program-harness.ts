/**
 * Loads the REAL Pulumi program (infra/index.ts) under `pulumi.runtime.setMocks` with a given stack
 * config, and records every resource registration: type, name, inputs (secret values stay wrapped in
 * Pulumi's secret signature), direct dependencies and registration order.
 *
 * The program registers resources at module level, so load it once per test file (node:test runs each
 * file in its own process). Unhandled rejections fail the test process: under mocks a broken output
 * chain otherwise only shows up as a value that never resolves.
 */
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";

export const SECRET_SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIGNATURE_VALUE = "1b47061264138c4ac30d75fd1eb44270";

export const MOCK_SUBSCRIPTION_ID = "00000000-0000-0000-0000-0000000000aa";
export const MOCK_TENANT_ID = "00000000-0000-0000-0000-0000000000bb";
export const MOCK_DEPLOYER_OBJECT_ID = "00000000-0000-0000-0000-0000000000cc";
/** Values the mocks hand out as secrets; none may ever appear outside a secret wrapper. */
export const MOCK_SHARED_KEY = "MOCK-LOG-ANALYTICS-SHARED-KEY-0123456789";
export const MOCK_NAME_SUFFIX = "x7k2p9";

export interface RegisteredResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly custom: boolean;
  // biome-ignore lint/suspicious/noExplicitAny: raw engine inputs of any resource type
  readonly inputs: Record<string, any>;
  readonly dependencies: readonly string[];
  readonly order: number;
}

export interface LoadedProgram {
  readonly resources: readonly RegisteredResource[];
  readonly outputs: Record<string, unknown>;
  /** Every token value the mocked RandomPasswords produced. */
  readonly generatedSecrets: readonly string[];
  readonly invokes: readonly string[];
}

export interface ProgramOptions {
  /** Stack config without namespace prefix for scimkit keys: `{ minReplicas: "1" }`. Objects are JSON-encoded. */
  readonly config: Record<string, unknown>;
  readonly secretKeys?: readonly string[];
  readonly stack?: string;
  /** Dry run (`pulumi preview`): the program must not reach Azure then. */
  readonly preview?: boolean;
}

process.on("unhandledRejection", (reason) => {
  process.stderr.write(`unhandled rejection while loading the Pulumi program: ${String(reason)}\n`);
  process.exitCode = 1;
  throw reason;
});

export async function loadProgram(options: ProgramOptions): Promise<LoadedProgram> {
  const resources: RegisteredResource[] = [];
  const generatedSecrets: string[] = [];
  const invokes: string[] = [];
  const dependencies = new Map<string, string[]>();

  // The mock monitor does not pass dependencies to `newResource`; record them from the request.
  const originalRegister = MockMonitor.prototype.registerResource;
  // biome-ignore lint/suspicious/noExplicitAny: grpc request object
  MockMonitor.prototype.registerResource = function (this: MockMonitor, request: any, callback: any) {
    dependencies.set(`${request.getType()}::${request.getName()}`, request.getDependenciesList());
    return originalRegister.call(this, request, callback);
  };

  const namespaced: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.config)) {
    const fullKey = key.includes(":") ? key : `scimkit:${key}`;
    namespaced[fullKey] = typeof value === "string" ? value : JSON.stringify(value);
  }
  const secretKeys = (options.secretKeys ?? []).map((key) => (key.includes(":") ? key : `scimkit:${key}`));
  pulumi.runtime.setAllConfig(namespaced, secretKeys);

  const stack = options.stack ?? "contoso";
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const { id, state } = mockResource(args, generatedSecrets);
        resources.push({
          type: args.type,
          name: args.name,
          urn: `urn:pulumi:${stack}::scimkit::${args.type}::${args.name}`,
          custom: args.custom ?? true,
          inputs: args.inputs,
          dependencies: [],
          order: resources.length,
        });
        return { id, state };
      },
      call(args) {
        invokes.push(args.token);
        return mockInvoke(args.token, args.inputs);
      },
    },
    "scimkit",
    stack,
    options.preview ?? false,
  );

  const program = (await import("../../../infra/index")) as Record<string, unknown>;
  const outputs: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(program)) {
    outputs[name] = await resolveDeep(value);
  }
  await pulumi.runtime.disconnect();
  MockMonitor.prototype.registerResource = originalRegister;

  const withDependencies = resources.map((resource) => ({
    ...resource,
    dependencies: (dependencies.get(`${resource.type}::${resource.name}`) ?? []).map(typeAndNameOfUrn),
  }));
  return { resources: withDependencies, outputs, generatedSecrets, invokes };
}

/** `urn:pulumi:stack::project::parent$type::name` → `type::name` (parent chain dropped). */
function typeAndNameOfUrn(urn: string): string {
  const [typePath, name] = urn.split("::").slice(-2);
  return `${typePath.split("$").pop()}::${name}`;
}

/** Awaits Outputs (and Outputs nested in plain objects) into plain values. */
export async function resolveDeep(value: unknown): Promise<unknown> {
  if (pulumi.Output.isInstance(value)) {
    return resolveDeep(await new Promise((resolve) => value.apply(resolve)));
  }
  if (Array.isArray(value)) return Promise.all(value.map(resolveDeep));
  if (value && typeof value === "object") {
    const resolved: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) resolved[key] = await resolveDeep(item);
    return resolved;
  }
  return value;
}

export function isSecretWrapped(value: unknown): value is { value: unknown } {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)[SECRET_SIGNATURE_KEY] === SECRET_SIGNATURE_VALUE
  );
}

/** Removes secret wrappers (what a policy pack sees as props). */
export function unwrapSecrets(value: unknown): unknown {
  if (isSecretWrapped(value)) return unwrapSecrets(value.value);
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, unwrapSecrets(item)]));
  }
  return value;
}

/** Paths (resource.property…) where one of `secrets` appears outside a secret wrapper. */
export function findPlainSecrets(
  resources: readonly RegisteredResource[],
  secrets: readonly string[],
): string[] {
  const leaks: string[] = [];
  const visit = (value: unknown, path: string) => {
    if (isSecretWrapped(value)) return;
    if (typeof value === "string") {
      if (secrets.some((secret) => secret !== "" && value.includes(secret))) leaks.push(path);
    } else if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) visit(item, `${path}[${index}]`);
    } else if (value && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) visit(item, `${path}.${key}`);
    }
  };
  for (const resource of resources) visit(resource.inputs, `${resource.type}::${resource.name}`);
  return leaks;
}

export function resourcesOfType(program: LoadedProgram, type: string): RegisteredResource[] {
  return program.resources.filter((resource) => resource.type === type);
}

export function onlyResourceOfType(program: LoadedProgram, type: string): RegisteredResource {
  const found = resourcesOfType(program, type);
  if (found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}`);
  return found[0];
}

// ————— mock behaviour: echo inputs as state (keeping secret wrappers, as the engine keeps outputs of
// secret inputs secret) and add the computed properties the program reads —————

// biome-ignore lint/suspicious/noExplicitAny: engine values
type Bag = Record<string, any>;

function mockResource(
  args: pulumi.runtime.MockResourceArgs,
  generatedSecrets: string[],
): { id: string; state: Bag } {
  const inputs: Bag = args.inputs;
  const group = "rg-mock";
  const azureId = (provider: string, name: string) =>
    `/subscriptions/${MOCK_SUBSCRIPTION_ID}/resourceGroups/${group}/providers/${provider}/${name}`;
  switch (args.type) {
    case "random:index/randomString:RandomString":
      return { id: args.name, state: { ...inputs, result: MOCK_NAME_SUFFIX } };
    case "random:index/randomPassword:RandomPassword": {
      const token = `MOCKTOKEN${args.name.replace(/[^A-Za-z0-9]/g, "")}${"q".repeat(24)}`;
      generatedSecrets.push(token);
      return {
        id: args.name,
        state: { ...inputs, result: { [SECRET_SIGNATURE_KEY]: SECRET_SIGNATURE_VALUE, value: token } },
      };
    }
    case "azure-native:resources:ResourceGroup":
      return {
        id: `/subscriptions/${MOCK_SUBSCRIPTION_ID}/resourceGroups/${inputs.resourceGroupName}`,
        state: { ...inputs, name: inputs.resourceGroupName },
      };
    case "azure-native:managedidentity:UserAssignedIdentity":
      return {
        id: azureId("Microsoft.ManagedIdentity/userAssignedIdentities", inputs.resourceName),
        state: {
          ...inputs,
          name: inputs.resourceName,
          principalId: "11111111-1111-1111-1111-111111111111",
          clientId: "22222222-2222-2222-2222-222222222222",
        },
      };
    case "azure-native:operationalinsights:Workspace":
      return {
        id: azureId("Microsoft.OperationalInsights/workspaces", inputs.workspaceName),
        state: { ...inputs, name: inputs.workspaceName, customerId: "33333333-3333-3333-3333-333333333333" },
      };
    case "azure-native:keyvault:Vault":
      return {
        id: azureId("Microsoft.KeyVault/vaults", inputs.vaultName),
        state: { ...inputs, name: inputs.vaultName },
      };
    case "azure-native:keyvault:Secret": {
      const uri = `https://${inputs.vaultName}.vault.azure.net/secrets/${inputs.secretName}`;
      const computed = { secretUri: uri, secretUriWithVersion: `${uri}/0123456789abcdef` };
      const properties = isSecretWrapped(inputs.properties)
        ? { ...inputs.properties, value: { ...(inputs.properties.value as Bag), ...computed } }
        : { ...inputs.properties, ...computed };
      return {
        id: `${azureId("Microsoft.KeyVault/vaults", inputs.vaultName)}/secrets/${inputs.secretName}`,
        state: { ...inputs, properties },
      };
    }
    case "azure-native:containerregistry:Registry":
      return {
        id: azureId("Microsoft.ContainerRegistry/registries", inputs.registryName),
        state: { ...inputs, name: inputs.registryName, loginServer: `${inputs.registryName}.azurecr.io` },
      };
    case "docker-build:index:Image": {
      const digest = `sha256:${"d".repeat(64)}`;
      return { id: args.name, state: { ...inputs, digest, ref: `${inputs.tags[0]}@${digest}` } };
    }
    case "azure-native:dbforpostgresql:Server":
      return {
        id: azureId("Microsoft.DBforPostgreSQL/flexibleServers", inputs.serverName),
        state: {
          ...inputs,
          name: inputs.serverName,
          fullyQualifiedDomainName: `${inputs.serverName}.postgres.database.azure.com`,
        },
      };
    case "azure-native:app:ContainerApp":
      return {
        id: azureId("Microsoft.App/containerApps", inputs.containerAppName),
        state: {
          ...inputs,
          name: inputs.containerAppName,
          configuration: {
            ...(unwrapSecrets(inputs.configuration) as Bag),
            ingress: {
              ...(unwrapSecrets(inputs.configuration) as Bag).ingress,
              fqdn: `${inputs.containerAppName}.mockdomain-1a2b.westeurope.azurecontainerapps.io`,
            },
          },
        },
      };
    default: {
      const name =
        inputs.subnetName ??
        inputs.virtualNetworkName ??
        inputs.environmentName ??
        inputs.privateZoneName ??
        inputs.databaseName ??
        args.name;
      return { id: azureId(args.type.replace(/:/g, "/"), String(name)), state: { ...inputs, name } };
    }
  }
}

function mockInvoke(token: string, inputs: Bag): Bag {
  switch (token) {
    case "azure-native:authorization:getClientConfig":
      return {
        clientId: "44444444-4444-4444-4444-444444444444",
        objectId: MOCK_DEPLOYER_OBJECT_ID,
        subscriptionId: MOCK_SUBSCRIPTION_ID,
        tenantId: MOCK_TENANT_ID,
      };
    case "azure-native:operationalinsights:getSharedKeys":
      return { primarySharedKey: MOCK_SHARED_KEY, secondarySharedKey: `${MOCK_SHARED_KEY}-2` };
    case "azure-native:resources:getResourceGroup":
      return {
        id: `/subscriptions/${MOCK_SUBSCRIPTION_ID}/resourceGroups/${inputs.resourceGroupName}`,
        name: inputs.resourceGroupName,
        location: "switzerlandnorth",
      };
    default:
      throw new Error(`unexpected invoke ${token}: add it to the mocks if the program needs it`);
  }
}
