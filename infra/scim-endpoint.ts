import * as pulumi from "@pulumi/pulumi";
import { ScimService } from "./components/scim-service";
import type { DeployServiceConfig, ExistingEndpointConfig, ServiceConfig } from "./config";

/**
 * The SCIM endpoint Entra provisions into, whichever way it exists: deployed by this stack, or brought
 * by the user (a vendor's endpoint). The Entra side only ever sees this shape.
 */
export interface ScimEndpoint {
  /** `https://<host><basePath>`: the "Tenant URL" of Entra's admin credentials. */
  readonly tenantUrl: pulumi.Output<string>;
  /** Bearer token Entra sends ("Secret Token"); always a secret output. */
  readonly secretToken: pulumi.Output<string>;
  /** Azure resources behind a deployed endpoint; absent for a brought endpoint. */
  readonly azure?: DeployedServiceOutputs;
}

/** The deployed service's Azure outputs: resource ids, names and the portal link. */
export type DeployedServiceOutputs = Pick<
  ScimService,
  | "subscriptionId"
  | "resourceGroupName"
  | "resourceGroupId"
  | "containerAppId"
  | "keyVaultId"
  | "postgresServerId"
  | "identityClientId"
  | "registryId"
  | "portalUrl"
>;

export function scimEndpoint(service: ServiceConfig): ScimEndpoint {
  return service.mode === "deploy" ? deployedEndpoint(service) : existingEndpoint(service);
}

function deployedEndpoint(service: DeployServiceConfig): ScimEndpoint {
  const scim = new ScimService("scim", {
    location: service.location,
    existingResourceGroupName: service.existingResourceGroupName,
    environmentType: service.environmentType,
    vnetAddressSpace: service.vnetAddressSpace,
    scimBasePath: service.scimBasePath,
    minReplicas: service.minReplicas,
    maxReplicas: service.maxReplicas,
    concurrentRequests: service.concurrentRequests,
    cpu: service.cpu,
    memory: service.memory,
    allowedIpRanges: [...service.allowedIpRanges],
    tokenGeneration: service.tokenGeneration,
    image: service.image.kind === "prebuilt" ? service.image.reference : undefined,
    buildContext: service.image.kind === "build" ? service.image.contextDirectory : undefined,
    postgres: {
      skuName: service.postgres.skuName,
      tier: service.postgres.tier,
      version: service.postgres.version,
      storageSizeGb: service.postgres.storageSizeGb,
      databaseName: service.postgres.databaseName,
    },
    keyVaultSoftDeleteRetentionDays: service.keyVaultSoftDeleteRetentionDays,
    logRetentionDays: service.logRetentionDays,
  });
  return {
    tenantUrl: scim.tenantUrl,
    secretToken: scim.secretToken,
    azure: {
      subscriptionId: scim.subscriptionId,
      resourceGroupName: scim.resourceGroupName,
      resourceGroupId: scim.resourceGroupId,
      containerAppId: scim.containerAppId,
      keyVaultId: scim.keyVaultId,
      postgresServerId: scim.postgresServerId,
      identityClientId: scim.identityClientId,
      registryId: scim.registryId,
      portalUrl: scim.portalUrl,
    },
  };
}

function existingEndpoint(service: ExistingEndpointConfig): ScimEndpoint {
  return { tenantUrl: pulumi.output(service.tenantUrl), secretToken: pulumi.secret(service.secretToken) };
}
