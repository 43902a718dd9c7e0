import type * as pulumi from "@pulumi/pulumi";
import type { EntraConfig } from "./config";
import { EntraProvisioning } from "./entra-provisioning";

/** What the Entra side needs from the SCIM endpoint (deployed ScimService or brought by config). */
export interface ProvisioningTarget {
  readonly tenantUrl: pulumi.Input<string>;
  readonly secretToken: pulumi.Input<string>;
}

/** The stack's EntraProvisioning from validated config, or undefined when `scimkit:entraEnabled` is false. */
export function entraProvisioningFromConfig(
  name: string,
  config: EntraConfig,
  target: ProvisioningTarget,
): EntraProvisioning | undefined {
  if (!config.enabled) return undefined;
  return new EntraProvisioning(name, {
    tenantUrl: target.tenantUrl,
    secretToken: target.secretToken,
    displayName: config.displayName,
    applicationTemplateId: config.applicationTemplateId,
    graphEndpoint: config.graphEndpoint,
    appRoles: config.appRoles,
    owners: config.owners,
    assignments: config.assignments,
    useAadOptscim062020: config.useAadOptscim062020,
    notificationEmail: config.notificationEmail,
    notifyOnFailure: config.notifyOnFailure,
    deleteThresholdEnabled: config.deleteThresholdEnabled,
    deleteThresholdValue: config.deleteThresholdValue,
    syncAll: config.syncAll,
    skipOutOfScopeDeletions: config.skipOutOfScopeDeletions,
    userMappings: config.schema.userMappings,
    userScopingFilters: config.schema.userScopingFilters,
    provisionGroups: config.schema.provisionGroups,
    groupMappings: config.schema.groupMappings,
    groupScopingFilters: config.schema.groupScopingFilters,
    provisioningOn: config.provisioningOn,
    restartTrigger: config.restartTrigger,
    waitForFirstCycle: config.waitForFirstCycle,
    firstCycleTimeoutSeconds: config.firstCycleTimeoutSeconds,
    provisionOnDemandUsers: config.provisionOnDemandUsers,
    permanentlyDeleteOnDestroy: config.permanentlyDeleteOnDestroy,
  });
}
