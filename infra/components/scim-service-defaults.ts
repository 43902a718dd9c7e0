import type { EnvironmentType } from "../azure/network-plan";

/**
 * Defaults of the ScimService component, shared with infra/config.ts and mirrored by the `default:`
 * of each key in Pulumi.yaml (a test keeps the three in step). Sized for a trial tenant: scale to zero,
 * the smallest container and the Burstable B1ms database.
 */
export const SCIM_SERVICE_DEFAULTS = {
  location: "westeurope",
  environmentType: "workloadProfiles" as EnvironmentType,
  vnetAddressSpace: "10.42.0.0/16",
  scimBasePath: "/scim/v2",
  minReplicas: 0,
  maxReplicas: 3,
  concurrentRequests: 10,
  cpu: 0.25,
  memory: "0.5Gi",
  tokenGeneration: 1,
  postgresSku: "Standard_B1ms",
  postgresVersion: "16",
  postgresStorageGb: 32,
  databaseName: "scimkit",
  keyVaultSoftDeleteRetentionDays: 7,
  logRetentionDays: 30,
} as const;
