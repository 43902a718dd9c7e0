/**
 * Address planning for the stack's virtual network: where the Container Apps environment subnet and the
 * PostgreSQL subnet go inside the configured address space. Pure, so the sizing rules are unit-tested.
 *
 * Minimums (Microsoft Learn, "Networking in Azure Container Apps environment" and "Networking overview
 * for Azure Database for PostgreSQL flexible server with private access"):
 * - workload-profiles environment: subnet of /27 or larger, delegated to `Microsoft.App/environments`;
 * - consumption-only environment: subnet of /23 or larger, NOT delegated;
 * - PostgreSQL flexible server: its own subnet delegated to `Microsoft.DBforPostgreSQL/flexibleServers`.
 * The environment's network type cannot change after creation, so the plan is fixed by config.
 */

export type EnvironmentType = "workloadProfiles" | "consumptionOnly";

export interface SubnetPlan {
  /** CIDR of the Container Apps environment (infrastructure) subnet. */
  readonly environmentSubnet: string;
  /** Service delegation the environment subnet needs, if any. */
  readonly environmentDelegation: string | undefined;
  /** CIDR of the PostgreSQL flexible server's delegated subnet. */
  readonly databaseSubnet: string;
}

/** Smallest subnet (largest prefix length) Microsoft allows per environment type. */
export const MINIMUM_ENVIRONMENT_PREFIX: Readonly<Record<EnvironmentType, number>> = {
  workloadProfiles: 27,
  consumptionOnly: 23,
};

/**
 * The prefix we actually use. Workload profiles get a /24 rather than the /27 minimum: the Consumption
 * profile takes an address per replica as it scales, and a /27 leaves only a handful after Azure's
 * reserved addresses.
 */
export const ENVIRONMENT_SUBNET_PREFIX: Readonly<Record<EnvironmentType, number>> = {
  workloadProfiles: 24,
  consumptionOnly: 23,
};

/** PostgreSQL needs few addresses; a /27 leaves room for high availability and maintenance. */
export const DATABASE_SUBNET_PREFIX = 27;

export const ENVIRONMENT_DELEGATION = "Microsoft.App/environments";
export const DATABASE_DELEGATION = "Microsoft.DBforPostgreSQL/flexibleServers";

export interface Ipv4Cidr {
  readonly network: number;
  readonly prefixLength: number;
}

/** Parses `a.b.c.d/n`; returns an error message instead of throwing so config can name its key. */
export function parseIpv4Cidr(text: string): Ipv4Cidr | string {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text.trim());
  if (!match) return `"${text}" is not an IPv4 CIDR like 10.42.0.0/16`;
  const octets = match.slice(1, 5).map(Number);
  const prefixLength = Number(match[5]);
  if (octets.some((octet) => octet > 255)) return `"${text}" has an octet above 255`;
  if (prefixLength > 32) return `"${text}" has a prefix length above 32`;
  const address = octets.reduce((value, octet) => value * 256 + octet, 0);
  const network = address - (address % 2 ** (32 - prefixLength));
  if (network !== address) {
    return `"${text}" has host bits set; use ${formatIpv4Cidr({ network, prefixLength })}`;
  }
  return { network, prefixLength };
}

export function formatIpv4Cidr(cidr: Ipv4Cidr): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(cidr.network / 2 ** shift) % 256);
  return `${octets.join(".")}/${cidr.prefixLength}`;
}

/**
 * Places the environment subnet at the start of the address space and the database subnet right after
 * it. Returns an error message when the space is too small to hold both.
 */
export function planSubnets(addressSpace: string, environmentType: EnvironmentType): SubnetPlan | string {
  const space = parseIpv4Cidr(addressSpace);
  if (typeof space === "string") return space;
  const environmentPrefix = ENVIRONMENT_SUBNET_PREFIX[environmentType];
  const environmentSize = 2 ** (32 - environmentPrefix);
  const databaseSize = 2 ** (32 - DATABASE_SUBNET_PREFIX);
  const spaceSize = 2 ** (32 - space.prefixLength);
  if (environmentSize + databaseSize > spaceSize) {
    return (
      `${addressSpace} is too small: a ${environmentType} environment needs a /${environmentPrefix} ` +
      `plus a /${DATABASE_SUBNET_PREFIX} for PostgreSQL; use a /${environmentPrefix - 1} or larger`
    );
  }
  return {
    environmentSubnet: formatIpv4Cidr({ network: space.network, prefixLength: environmentPrefix }),
    environmentDelegation: environmentType === "workloadProfiles" ? ENVIRONMENT_DELEGATION : undefined,
    databaseSubnet: formatIpv4Cidr({
      network: space.network + environmentSize,
      prefixLength: DATABASE_SUBNET_PREFIX,
    }),
  };
}
