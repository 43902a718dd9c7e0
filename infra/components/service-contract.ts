/**
 * What the scimkit container expects from its host (issue #2, the SCIM service): the port it listens
 * on, its unauthenticated health endpoints, and the environment variables it reads. infra/ never
 * imports the service's runtime code, so these constants are the whole contract between the two.
 */

/** `PORT` the service listens on (its default is 8080 too; set explicitly so the two never drift). */
export const SERVICE_PORT = 8080;

/** Process alive; never touches the database, so a database blip does not restart the replica. */
export const LIVENESS_PATH = "/healthz";
/** Store reachable; a failing replica is taken out of load balancing, not restarted. */
export const READINESS_PATH = "/readyz";

/** Container App secret (a Key Vault reference) holding the comma-separated accepted bearer tokens. */
export const TOKENS_SECRET_NAME = "scim-tokens";

export const ENVIRONMENT_VARIABLES = {
  port: "PORT",
  basePath: "SCIM_BASE_PATH",
  nodeEnvironment: "NODE_ENV",
  databaseUrl: "DATABASE_URL",
  databaseAuthentication: "DATABASE_AUTH",
  managedIdentityClientId: "AZURE_CLIENT_ID",
  tokens: "SCIM_TOKENS",
  trustProxy: "TRUST_PROXY",
  /**
   * Not read by the service: changing it makes Container Apps start a new revision, whose replicas
   * resolve the rotated tokens from Key Vault (secret changes alone don't restart running replicas).
   */
  tokenGeneration: "SCIMKIT_TOKEN_GENERATION",
} as const;
