/**
 * Passwordless PostgreSQL on Azure: the pool's `password` is a function returning a Microsoft Entra
 * access token for Azure Database for PostgreSQL (scope below, per
 * https://learn.microsoft.com/azure/postgresql/flexible-server/how-to-configure-sign-in-azure-ad-authentication).
 * pg calls it for every new connection; tokens are cached and refreshed before they expire, so new
 * connections never present an expired token and a token service blip is invisible while the cached
 * token is still valid.
 */
import {
  type AccessToken,
  DefaultAzureCredential,
  ManagedIdentityCredential,
  type TokenCredential,
} from "@azure/identity";
import { StoreUnavailableError } from "../contract";

export const AZURE_POSTGRES_SCOPE = "https://ossrdbms-aad.database.windows.net/.default";

/** Refresh this long before expiry (tokens live 60–90 minutes). */
const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

/**
 * The managed identity in Azure: user-assigned when its client id is given (AZURE_CLIENT_ID),
 * otherwise whatever DefaultAzureCredential finds (system-assigned identity, workload identity, az login).
 */
export function azureDatabaseCredential(clientId: string | undefined): TokenCredential {
  return clientId ? new ManagedIdentityCredential({ clientId }) : new DefaultAzureCredential();
}

export function tokenPassword(
  credential: TokenCredential,
  now: () => number = Date.now,
): () => Promise<string> {
  let cached: AccessToken | undefined;
  let pending: Promise<AccessToken> | undefined;

  const fresh = (token: AccessToken | undefined): boolean =>
    token !== undefined &&
    now() < (token.refreshAfterTimestamp ?? Number.POSITIVE_INFINITY) &&
    now() < token.expiresOnTimestamp - REFRESH_BEFORE_EXPIRY_MS;

  const fetchToken = async (): Promise<AccessToken> => {
    const token = await credential.getToken(AZURE_POSTGRES_SCOPE);
    if (!token) throw new Error("the credential returned no token");
    cached = token;
    return token;
  };

  return async () => {
    if (cached && fresh(cached)) return cached.token;
    pending ??= fetchToken().finally(() => {
      pending = undefined;
    });
    try {
      return (await pending).token;
    } catch (error) {
      // A token that has not expired yet still opens connections while the token service recovers.
      if (cached && now() < cached.expiresOnTimestamp) return cached.token;
      throw new StoreUnavailableError(
        `could not get a Microsoft Entra token for PostgreSQL (scope ${AZURE_POSTGRES_SCOPE}); check the managed identity and AZURE_CLIENT_ID: ${(error as Error).message}`,
        { cause: error },
      );
    }
  };
}
