/**
 * Push credentials for the registry the stack creates, without its admin user: the deployer's own
 * Microsoft Entra token is exchanged for an ACR refresh token, exactly what `az acr login` does
 * (Azure Container Registry docs, "AAD-OAuth" token exchange: POST /oauth2/exchange). The deploying
 * principal needs push rights on the registry; Owner and Contributor include them.
 */

/** ACR accepts exchanged refresh tokens with this fixed user name. */
export const REGISTRY_TOKEN_USERNAME = "00000000-0000-0000-0000-000000000000";

/** Audience of the token exchanged: Azure Resource Manager, as `az acr login` does. */
export const RESOURCE_MANAGER_SCOPE = "https://management.azure.com/.default";

export interface RegistryTokenExchange {
  readonly loginServer: string;
  readonly tenantId: string;
  readonly entraAccessToken: string;
}

export async function exchangeForRegistryRefreshToken(
  request: RegistryTokenExchange,
  fetchImplementation: typeof fetch = fetch,
): Promise<string> {
  const response = await fetchImplementation(`https://${request.loginServer}/oauth2/exchange`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "access_token",
      service: request.loginServer,
      tenant: request.tenantId,
      access_token: request.entraAccessToken,
    }).toString(),
  });
  if (!response.ok) {
    // The body may echo request details; report only the status and what to check.
    throw new Error(
      `Container registry ${request.loginServer} refused the token exchange (HTTP ${response.status}); ` +
        "check `az login` and that your account has push rights (Owner, Contributor or AcrPush) on the registry",
    );
  }
  const body = (await response.json()) as { refresh_token?: unknown };
  if (typeof body.refresh_token !== "string" || body.refresh_token === "") {
    throw new Error(
      `Container registry ${request.loginServer} answered the token exchange without a refresh_token`,
    );
  }
  return body.refresh_token;
}

/** Gets the deployer's token with `@azure/identity` (az login, environment, workload identity) and exchanges it. */
export async function acquireRegistryPushToken(loginServer: string, tenantId: string): Promise<string> {
  const { DefaultAzureCredential } = await import("@azure/identity");
  const accessToken = await new DefaultAzureCredential().getToken(RESOURCE_MANAGER_SCOPE);
  return exchangeForRegistryRefreshToken({ loginServer, tenantId, entraAccessToken: accessToken.token });
}
