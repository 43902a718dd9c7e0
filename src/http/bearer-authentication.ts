/**
 * `Authorization: Bearer <token>` on every SCIM route (RFC 6750 §2.1). Two kinds of credential:
 * - static tokens (SCIM_TOKENS; Entra's "Secret Token"), several at once so one can be rotated without
 *   downtime. Compared in constant time against EVERY configured token (crypto.timingSafeEqual over a
 *   buffer of the configured token's length), so neither the position of the first wrong character nor
 *   which token matched shows in the response time;
 * - optionally, JWTs Entra issues for the tenant (entra-jwt.ts) when the Secret Token is left blank.
 * The token itself is never logged or echoed; callers get a label ("token 2 of 2", "entra jwt") to log.
 */
import { timingSafeEqual } from "node:crypto";
import { ScimError } from "../scim/errors";
import type { EntraJwtVerifier } from "./entra-jwt";

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

interface ConfiguredToken {
  readonly bytes: Buffer;
  /** Scratch space of the same length: the presented token is written here, so no allocation per request. */
  readonly scratch: Buffer;
}

export class BearerAuthenticator {
  private readonly tokens: readonly ConfiguredToken[];

  constructor(
    tokens: readonly string[],
    private readonly jwtVerifier?: EntraJwtVerifier,
  ) {
    if (tokens.length === 0 && !jwtVerifier) {
      throw new Error("BearerAuthenticator needs at least one token or an Entra JWT verifier");
    }
    this.tokens = tokens.map((token) => {
      const bytes = Buffer.from(token, "utf8");
      return { bytes, scratch: Buffer.alloc(bytes.length) };
    });
  }

  /**
   * The label of the credential that matched: at once for a static token (the common case, no promise),
   * or a promise when a JWT has to be verified. Throws ScimError(401) when nothing matches.
   */
  authenticate(authorization: string | undefined): string | Promise<string> {
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
    if (staticMatch !== undefined) return `token ${staticMatch + 1} of ${this.tokens.length}`;
    if (this.jwtVerifier && JWT_SHAPE.test(token)) return this.jwtVerifier.verify(token);
    throw new ScimError(401, undefined, "The bearer token is not valid for this service");
  }

  private matchStaticToken(token: string): number | undefined {
    const presentedLength = Buffer.byteLength(token, "utf8");
    let matched: number | undefined;
    for (let index = 0; index < this.tokens.length; index += 1) {
      const { bytes, scratch } = this.tokens[index]!;
      // The presented token is copied into (and cut or zero-padded to) the configured token's length, and
      // every byte is compared whatever the lengths, so the time says nothing about which bytes matched; it
      // can reveal lengths only (the copy is as long as the shorter token), harmless for tokens of 32+
      // random characters. The lengths are compared after, separately. No early exit: every token is compared.
      scratch.fill(0);
      scratch.write(token, "utf8");
      const sameBytes = timingSafeEqual(scratch, bytes);
      if (sameBytes && presentedLength === bytes.length && matched === undefined) matched = index;
    }
    return matched;
  }
}
