/**
 * Entra-issued tokens (optional mode): when an admin leaves the Secret Token blank, Entra's provisioning
 * service calls with a JWT it obtained for the app: iss = https://sts.windows.net/<tenantId>/,
 * aud = 8adf8e6e-67b2-4cf2-a259-e3dc5476c621 (or the app's own audience), signed with a key published
 * in the tenant's JWKS (entra-scim-wire.md, "Operational facts"). jose checks signature, iss, aud, exp
 * and nbf; keys are fetched once and cached, refetched when an unknown key id appears (key rollover).
 */
import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from "jose";
import type { EntraJwtConfig } from "../config/service-config";
import { ScimError } from "../scim/errors";

/** Entra signs access tokens with RS256; refusing every other algorithm closes the alg-confusion door. */
const ALGORITHMS = ["RS256"];
/** Clock skew tolerated between Entra and this host. */
const CLOCK_TOLERANCE_SECONDS = 300;

export interface EntraJwtVerifier {
  /** Resolves to a label for logs; throws ScimError(401) for a bad token, ScimError(503) when keys can't be fetched. */
  verify(token: string): Promise<string>;
}

export function createEntraJwtVerifier(config: EntraJwtConfig): EntraJwtVerifier {
  const keys = createRemoteJWKSet(new URL(config.jwksUrl), {
    timeoutDuration: 5_000,
    cooldownDuration: 30_000,
  });
  return {
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, keys, {
          issuer: config.issuer,
          audience: config.audience,
          algorithms: ALGORITHMS,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          requiredClaims: ["exp"],
        });
        const caller =
          typeof payload.appid === "string"
            ? payload.appid
            : typeof payload.azp === "string"
              ? payload.azp
              : "?";
        return `entra jwt (app ${caller})`;
      } catch (error) {
        throw toAuthenticationError(error, config);
      }
    },
  };
}

function toAuthenticationError(error: unknown, config: EntraJwtConfig): ScimError {
  if (error instanceof joseErrors.JWTExpired) {
    return new ScimError(
      401,
      undefined,
      "The bearer token has expired; Entra requests a new one automatically",
    );
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    const expected =
      error.claim === "iss"
        ? ` (expected ${config.issuer})`
        : error.claim === "aud"
          ? ` (expected ${config.audience})`
          : "";
    return new ScimError(
      401,
      undefined,
      `The bearer token's "${error.claim}" claim is not accepted${expected}`,
    );
  }
  if (
    !(error instanceof joseErrors.JOSEError) ||
    error instanceof joseErrors.JWKSTimeout ||
    error instanceof joseErrors.JWKSInvalid ||
    error.code === "ERR_JOSE_GENERIC"
  ) {
    // The key set could not be fetched or read (network, DNS, non-200, not a JWKS): not the caller's fault.
    return new ScimError(
      503,
      undefined,
      "The signing keys of the Entra tenant could not be fetched; retry later",
    );
  }
  return new ScimError(401, undefined, "The bearer token is not a valid Entra-issued token for this service");
}
