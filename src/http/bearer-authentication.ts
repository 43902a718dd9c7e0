/**
 * `Authorization: Bearer <token>` on every SCIM route (RFC 6750 §2.1). Two kinds of credential:
 * - static tokens (SCIM_TOKENS; Entra's "Secret Token"), several at once so one can be rotated without
 *   downtime. Compared in constant time: both sides are hashed to 32 bytes and compared with
 *   crypto.timingSafeEqual against EVERY configured token, so neither the position of the first wrong
 *   character nor which token matched shows in the response time;
 * - optionally, JWTs Entra issues for the tenant (entra-jwt.ts) when the Secret Token is left blank.
 * The token itself is never logged or echoed; callers get a label ("token 2 of 2", "entra jwt") to log.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { ScimError } from "../scim/errors";
import type { EntraJwtVerifier } from "./entra-jwt";

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export class BearerAuthenticator {
  private readonly tokenDigests: readonly Buffer[];

  constructor(
    tokens: readonly string[],
    private readonly jwtVerifier?: EntraJwtVerifier,
  ) {
    if (tokens.length === 0 && !jwtVerifier) {
      throw new Error("BearerAuthenticator needs at least one token or an Entra JWT verifier");
    }
    this.tokenDigests = tokens.map(digest);
  }

  /** Resolves to a label of the credential that matched; throws ScimError(401) otherwise. */
  async authenticate(authorization: string | undefined): Promise<string> {
    if (authorization === undefined || authorization.trim() === "") {
      throw new ScimError(
        401,
        undefined,
        "Authorization header is missing; send `Authorization: Bearer <token>`",
      );
    }
    const match = BEARER.exec(authorization);
    if (!match) {
      throw new ScimError(
        401,
        undefined,
        "Authorization header must use the Bearer scheme: `Authorization: Bearer <token>`",
      );
    }
    const token = match[1]!;
    const staticMatch = this.matchStaticToken(token);
    if (staticMatch !== undefined) return `token ${staticMatch + 1} of ${this.tokenDigests.length}`;
    if (this.jwtVerifier && JWT_SHAPE.test(token)) return this.jwtVerifier.verify(token);
    throw new ScimError(401, undefined, "The bearer token is not valid for this service");
  }

  private matchStaticToken(token: string): number | undefined {
    const presented = digest(token);
    let matched: number | undefined;
    this.tokenDigests.forEach((expected, index) => {
      // No early exit: every configured token is compared on every request.
      if (timingSafeEqual(presented, expected) && matched === undefined) matched = index;
    });
    return matched;
  }
}

function digest(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}
