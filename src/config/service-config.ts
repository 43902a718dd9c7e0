/**
 * The SCIM service's configuration, read from the environment once at start-up and validated up front:
 * every problem is a ConfigError naming the variable and saying how to fix it. Pure: no file is touched
 * here (the development token lives in development-token.ts).
 *
 * The README's configuration reference lists the same variables; keep both in step.
 */
import path from "node:path";
import { parseBearerTokenList } from "./bearer-token-rules";
import { ConfigError } from "./config-error";

/** The audience of tokens Entra's provisioning service requests for non-gallery apps (entra-scim-wire.md). */
export const ENTRA_PROVISIONING_AUDIENCE = "8adf8e6e-67b2-4cf2-a259-e3dc5476c621";
export const DEFAULT_BASE_PATH = "/scim/v2";
export const DEFAULT_PORT = 8080;
export const DEFAULT_HOST = "0.0.0.0";
export const DEFAULT_DATA_DIRECTORY = "data";
export const DEFAULT_DATABASE_FILE = "scimkit.db";
/** Entra sends small documents; 1 MiB leaves room for large membership PATCHes and bounds memory per request. */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
/** Entra documents no client timeout (Okta uses 60 s); answer well before that, and within Container Apps' 30 s drain. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 20_000;
/** Container Apps waits 30 s after SIGTERM before SIGKILL; drain in-flight requests within that. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 25_000;

export interface EntraJwtConfig {
  /** Directory (tenant) id whose provisioning service may call: iss = https://sts.windows.net/<tenantId>/. */
  readonly tenantId: string;
  readonly audience: string;
  /** Where the signing keys are published; Microsoft's endpoint for the tenant unless overridden. */
  readonly jwksUrl: string;
  readonly issuer: string;
}

export interface DatabaseConfig {
  readonly url: string;
  /** "azure": passwordless Microsoft Entra authentication to Azure Database for PostgreSQL (store's job). */
  readonly auth: "password" | "azure";
  /** Client id of the user-assigned managed identity used when auth is "azure". */
  readonly azureClientId?: string;
}

export interface ServiceConfig {
  readonly environment: "production" | "development";
  readonly host: string;
  readonly port: number;
  readonly basePath: string;
  readonly dataDirectory: string;
  readonly database: DatabaseConfig;
  /** Static bearer tokens accepted at once (rotation: add the new one, switch Entra, remove the old one). */
  readonly tokens: readonly string[];
  readonly jwt?: EntraJwtConfig;
  readonly bodyLimitBytes: number;
  readonly requestTimeoutMs: number;
  readonly shutdownTimeoutMs: number;
  /** Honour X-Forwarded-Proto/-Host (behind Container Apps ingress or a tunnel) when building meta.location. */
  readonly trustProxy: boolean;
  readonly logLevel: string;
}

export type Environment = Readonly<Record<string, string | undefined>>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BASE_PATH = /^(\/[A-Za-z0-9\-._~]+)+$/;
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

/** Reads every setting from `env` (process.env by default); relative paths resolve against `cwd`. */
export function parseServiceConfig(
  env: Environment = process.env,
  cwd: string = process.cwd(),
): ServiceConfig {
  const environment = env.NODE_ENV === "production" ? "production" : "development";
  const dataDirectory = path.resolve(cwd, nonEmpty(env, "SCIM_DATA_DIR") ?? DEFAULT_DATA_DIRECTORY);
  const tokensValue = env.SCIM_TOKENS;
  const tokens =
    tokensValue === undefined || tokensValue.trim() === ""
      ? []
      : parseBearerTokenList(tokensValue, "SCIM_TOKENS");
  const jwt = parseJwtConfig(env);
  if (environment === "production" && tokens.length === 0 && !jwt) {
    throw new ConfigError(
      "NODE_ENV=production but no credential is configured: set SCIM_TOKENS to one or more comma-separated bearer tokens " +
        "(the Secret Token pasted into Entra; generate one with `openssl rand -base64 48`), or SCIM_JWT_TENANT_ID to accept " +
        "Entra-issued tokens. scimkit only generates a token by itself in development.",
    );
  }
  const requestTimeoutMs = integer(env, "SCIM_REQUEST_TIMEOUT_MS", DEFAULT_REQUEST_TIMEOUT_MS, 100, 600_000);
  return {
    environment,
    host: nonEmpty(env, "HOST") ?? DEFAULT_HOST,
    port: integer(env, "PORT", DEFAULT_PORT, 0, 65_535),
    basePath: parseBasePath(env),
    dataDirectory,
    database: parseDatabaseConfig(env, dataDirectory),
    tokens,
    ...(jwt ? { jwt } : {}),
    bodyLimitBytes: integer(env, "SCIM_MAX_BODY_BYTES", DEFAULT_BODY_LIMIT_BYTES, 1024, 100 * 1024 * 1024),
    requestTimeoutMs,
    shutdownTimeoutMs: integer(env, "SCIM_SHUTDOWN_TIMEOUT_MS", DEFAULT_SHUTDOWN_TIMEOUT_MS, 0, 600_000),
    trustProxy: boolean(env, "TRUST_PROXY", false),
    logLevel: oneOf(env, "LOG_LEVEL", LOG_LEVELS, "info"),
  };
}

function parseBasePath(env: Environment): string {
  const value = nonEmpty(env, "SCIM_BASE_PATH") ?? DEFAULT_BASE_PATH;
  const withoutTrailingSlash = value.length > 1 ? value.replace(/\/+$/, "") : value;
  if (!BASE_PATH.test(withoutTrailingSlash)) {
    throw new ConfigError(
      `SCIM_BASE_PATH must be a URL path starting with "/" and made of letters, digits and - . _ ~ segments, e.g. /scim/v2 or /api/v3/scim2 (got ${JSON.stringify(value)})`,
    );
  }
  if (["/healthz", "/readyz"].includes(withoutTrailingSlash.toLowerCase())) {
    throw new ConfigError(
      `SCIM_BASE_PATH cannot be ${withoutTrailingSlash}: that path serves the health probe; use e.g. /scim/v2`,
    );
  }
  return withoutTrailingSlash;
}

function parseDatabaseConfig(env: Environment, dataDirectory: string): DatabaseConfig {
  const url = nonEmpty(env, "DATABASE_URL") ?? `sqlite:${path.join(dataDirectory, DEFAULT_DATABASE_FILE)}`;
  const auth = oneOf(env, "DATABASE_AUTH", ["password", "azure"], "password") as DatabaseConfig["auth"];
  const azureClientId = nonEmpty(env, "AZURE_CLIENT_ID");
  if (auth === "azure" && !/^postgres(ql)?:\/\//i.test(url)) {
    throw new ConfigError(
      "DATABASE_AUTH=azure only applies to PostgreSQL: set DATABASE_URL to postgres://<user>@<server>.postgres.database.azure.com/<db>?sslmode=require (no password), or unset DATABASE_AUTH",
    );
  }
  if (azureClientId !== undefined && !GUID.test(azureClientId)) {
    throw new ConfigError(
      `AZURE_CLIENT_ID must be the managed identity's client id, a GUID (got ${JSON.stringify(azureClientId)})`,
    );
  }
  return { url, auth, ...(azureClientId ? { azureClientId } : {}) };
}

function parseJwtConfig(env: Environment): EntraJwtConfig | undefined {
  const tenantId = nonEmpty(env, "SCIM_JWT_TENANT_ID");
  if (tenantId === undefined) {
    for (const dependent of ["SCIM_JWT_AUDIENCE", "SCIM_JWT_JWKS_URL"]) {
      if (nonEmpty(env, dependent) !== undefined) {
        throw new ConfigError(
          `${dependent} is set but SCIM_JWT_TENANT_ID is not; set SCIM_JWT_TENANT_ID to your directory (tenant) id to enable Entra-issued tokens`,
        );
      }
    }
    return undefined;
  }
  if (!GUID.test(tenantId)) {
    throw new ConfigError(
      `SCIM_JWT_TENANT_ID must be the directory (tenant) id, a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47 (got ${JSON.stringify(tenantId)}); find it in the Entra admin center under Overview`,
    );
  }
  const jwksUrl =
    nonEmpty(env, "SCIM_JWT_JWKS_URL") ?? `https://login.microsoftonline.com/${tenantId}/discovery/v2.0/keys`;
  if (!/^https?:\/\//i.test(jwksUrl) || !URL.canParse(jwksUrl)) {
    throw new ConfigError(
      `SCIM_JWT_JWKS_URL must be an http(s) URL of a JSON Web Key Set (got ${JSON.stringify(jwksUrl)})`,
    );
  }
  return {
    tenantId: tenantId.toLowerCase(),
    audience: nonEmpty(env, "SCIM_JWT_AUDIENCE") ?? ENTRA_PROVISIONING_AUDIENCE,
    jwksUrl,
    issuer: `https://sts.windows.net/${tenantId.toLowerCase()}/`,
  };
}

function nonEmpty(env: Environment, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

function integer(env: Environment, name: string, fallback: number, minimum: number, maximum: number): number {
  const value = nonEmpty(env, name);
  if (value === undefined) return fallback;
  const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < minimum || parsed > maximum) {
    throw new ConfigError(
      `${name} must be a whole number between ${minimum} and ${maximum} (got ${JSON.stringify(value)})`,
    );
  }
  return parsed;
}

function boolean(env: Environment, name: string, fallback: boolean): boolean {
  const value = nonEmpty(env, name)?.toLowerCase();
  if (value === undefined) return fallback;
  if (["true", "1", "yes"].includes(value)) return true;
  if (["false", "0", "no"].includes(value)) return false;
  throw new ConfigError(`${name} must be true or false (got ${JSON.stringify(value)})`);
}

function oneOf(env: Environment, name: string, allowed: readonly string[], fallback: string): string {
  const value = nonEmpty(env, name);
  if (value === undefined) return fallback;
  if (!allowed.includes(value)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(", ")} (got ${JSON.stringify(value)})`);
  }
  return value;
}
