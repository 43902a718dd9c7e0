/**
 * Configuration of `scimkit serve`: parse and validate the environment once (service-config.ts), then,
 * in development without SCIM_TOKENS or JWT mode, fall back to the generated development token.
 */
import { type DevelopmentToken, ensureDevelopmentToken } from "./development-token";
import { type Environment, parseServiceConfig, type ServiceConfig } from "./service-config";

export { ConfigError } from "./config-error";
export type { DevelopmentToken } from "./development-token";
export * from "./service-config";

export interface LoadedConfig {
  readonly config: ServiceConfig;
  /** Present when the service runs on the generated development token (the only token scimkit prints). */
  readonly developmentToken?: DevelopmentToken;
}

export function loadServiceConfig(env: Environment = process.env, cwd: string = process.cwd()): LoadedConfig {
  const config = parseServiceConfig(env, cwd);
  if (config.tokens.length > 0 || config.jwt || config.environment === "production") return { config };
  const developmentToken = ensureDevelopmentToken(config.dataDirectory);
  return { config: { ...config, tokens: [developmentToken.token] }, developmentToken };
}
