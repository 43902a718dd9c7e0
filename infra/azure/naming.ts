/**
 * Azure resource names for one tenant's stack. Pure and unit-tested against Azure's naming rules
 * (Microsoft Learn, "Naming rules and restrictions for Azure resources").
 *
 * Names that must be globally unique (Key Vault, container registry, PostgreSQL server) or that Azure
 * holds after deletion (Key Vault soft delete: 7–90 days; Log Analytics workspace: 14 days) carry a random
 * suffix generated once per stack, so `pulumi destroy` followed by `pulumi up` never collides with the
 * remains of the previous deployment.
 */

export interface ResourceNames {
  readonly resourceGroup: string;
  readonly logAnalyticsWorkspace: string;
  readonly virtualNetwork: string;
  readonly containerAppsEnvironment: string;
  readonly containerApp: string;
  readonly identity: string;
  readonly keyVault: string;
  readonly containerRegistry: string;
  readonly postgresServer: string;
}

/** Lowercase letters, digits and single hyphens, starting with a letter: safe for every Azure name. */
export function sanitizeBaseName(name: string): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
  if (cleaned === "") return "tenant";
  return /^[a-z]/.test(cleaned) ? cleaned : `t${cleaned}`;
}

/** Cuts `name` to `maxLength` without leaving a trailing hyphen. */
export function truncateName(name: string, maxLength: number): string {
  return name.slice(0, maxLength).replace(/-+$/, "");
}

/**
 * @param tenantName the stack name (one stack per customer tenant), any characters
 * @param suffix random lowercase alphanumerics, stable for the life of the stack
 */
export function resourceNames(tenantName: string, suffix: string): ResourceNames {
  if (!/^[a-z0-9]{4,8}$/.test(suffix)) {
    throw new Error(`naming suffix must be 4–8 lowercase letters or digits (got "${suffix}")`);
  }
  const base = sanitizeBaseName(tenantName);
  const alphanumeric = base.replace(/-/g, "");
  const withSuffix = (prefix: string, maxLength: number) =>
    `${truncateName(`${prefix}${base}`, maxLength - suffix.length - 1)}-${suffix}`;
  return {
    resourceGroup: truncateName(`rg-scimkit-${base}`, 90),
    logAnalyticsWorkspace: withSuffix("log-scimkit-", 63),
    virtualNetwork: truncateName(`vnet-scimkit-${base}`, 64),
    containerAppsEnvironment: truncateName(`cae-${base}`, 32),
    // The app name is the first label of the tenant URL's host name, so keep it readable.
    containerApp: truncateName(`scim-${base}`, 32),
    // Also the PostgreSQL role name of the app (Microsoft Entra principal name): lowercase, no spaces.
    identity: truncateName(`id-scimkit-${base}`, 128),
    keyVault: withSuffix("kv-", 24),
    containerRegistry: `${`acr${alphanumeric}`.slice(0, 50 - suffix.length)}${suffix}`,
    postgresServer: withSuffix("psql-", 63),
  };
}
