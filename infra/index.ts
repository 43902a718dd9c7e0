/**
 * scimkit: one stack per customer tenant.
 *   1. read and validate all stack config (infra/config.ts),
 *   2. get a SCIM endpoint: deploy ScimService to Azure Container Apps, or use the one config names,
 *   3. configure Entra provisioning against that endpoint.
 */
import { loadConfig } from "./config";
import { scimEndpoint } from "./scim-endpoint";

const config = loadConfig();

const endpoint = scimEndpoint(config.service);

// ENTRA: `new EntraProvisioning("entra", { ...config.entra, tenantUrl: endpoint.tenantUrl,
// secretToken: endpoint.secretToken })` goes here.

/** Paste into Entra's "Tenant URL" (scimkit configures it for you when the Entra side is enabled). */
export const tenantUrl = endpoint.tenantUrl;
/** Secret: `pulumi stack output secretToken --show-secrets`. */
export const secretToken = endpoint.secretToken;
/** Azure resource ids and the portal link; absent when the endpoint is brought, not deployed. */
export const azure = endpoint.azure;
