/**
 * scimkit: one stack per customer tenant.
 *   1. read and validate all stack config (infra/config.ts),
 *   2. get a SCIM endpoint: deploy ScimService to Azure Container Apps, or use the one config names,
 *   3. configure Entra provisioning against that endpoint.
 */
import { loadConfig } from "./config";
import { entraProvisioningFromConfig } from "./entra/from-config";
import { scimEndpoint } from "./scim-endpoint";
import { TrialProvisioning } from "./trial/trial-provisioning";

const config = loadConfig();

const endpoint = scimEndpoint(config.service);

const entra = entraProvisioningFromConfig("entra", config.entra, endpoint);

// Trial mode (issue #7): test users and a group, provisioned on demand once the Entra side is in place,
// then looked up in the SCIM service. readTrialConfig refuses scimkit:trial without the Entra side.
const trialProvisioning =
  config.trial.enabled && entra
    ? new TrialProvisioning(
        "trial",
        {
          domain: config.trial.domain,
          userCount: config.trial.userCount,
          servicePrincipalId: entra.servicePrincipalId,
          jobId: entra.jobId,
          scimBaseUrl: endpoint.tenantUrl,
          scimToken: endpoint.secretToken,
          purgeOnDestroy: config.entra.permanentlyDeleteOnDestroy,
        },
        { dependsOn: [entra] },
      )
    : undefined;

/** Paste into Entra's "Tenant URL" (scimkit configures it for you when the Entra side is enabled). */
export const tenantUrl = endpoint.tenantUrl;
/** Secret: `pulumi stack output secretToken --show-secrets`. */
export const secretToken = endpoint.secretToken;
/** Azure resource ids and the portal link; absent when the endpoint is brought, not deployed. */
export const azure = endpoint.azure;
/** For `scimkit status` and the teardown check (issue #7): where the tenant's Azure resources live. */
export const resourceGroupName = endpoint.azure?.resourceGroupName;
export const subscriptionId = endpoint.azure?.subscriptionId;
/** The Entra side (enterprise app, service principal, job, status); absent with entraEnabled false. */
export const entraProvisioning = entra && {
  applicationObjectId: entra.applicationObjectId,
  applicationDisplayName: entra.applicationDisplayName,
  purgeDeletedItems: config.entra.permanentlyDeleteOnDestroy,
  appId: entra.appId,
  servicePrincipalId: entra.servicePrincipalId,
  jobId: entra.jobId,
  provisioningStatus: entra.provisioningStatus,
  provisioningHealth: entra.provisioningHealth,
};
/** Trial mode: per test user, provisioned on demand and found in the SCIM service with the mapped attributes. */
export const trial = trialProvisioning?.report;
