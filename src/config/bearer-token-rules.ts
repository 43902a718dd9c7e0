/**
 * What a static bearer token must look like before scimkit accepts it. Entra stores the "Secret Token"
 * verbatim and sends it as `Authorization: Bearer <token>` on every call, so the token is the only thing
 * standing between the internet and the directory: it must be long and random. Errors name the token by
 * its position, never by its value (tokens must not reach logs or terminals).
 */
import { ConfigError } from "./config-error";

/** 32 characters of base64 carry 192 bits; anything shorter is guessable or hand-typed. */
export const MINIMUM_TOKEN_LENGTH = 32;
/** A long token made of few distinct characters ("aaaa…", "abcabc…") is not random. */
const MINIMUM_DISTINCT_CHARACTERS = 10;
/** RFC 6750 §2.1 b64token characters (letters, digits, -._~+/ and trailing =), minus nothing else. */
const TOKEN_CHARACTERS = /^[A-Za-z0-9\-._~+/]+=*$/;

export const HOW_TO_MAKE_A_TOKEN =
  "generate one with `openssl rand -base64 48` or `node -e \"console.log(require('crypto').randomBytes(36).toString('base64url'))\"`";

/** Throws a ConfigError when `token` is unfit; `label` says where it came from (e.g. "SCIM_TOKENS entry 2"). */
export function assertStrongBearerToken(token: string, label: string): void {
  if (token.length < MINIMUM_TOKEN_LENGTH) {
    throw new ConfigError(
      `${label} is too short (${token.length} characters); use at least ${MINIMUM_TOKEN_LENGTH} random characters: ${HOW_TO_MAKE_A_TOKEN}`,
    );
  }
  if (!TOKEN_CHARACTERS.test(token)) {
    throw new ConfigError(
      `${label} contains characters a bearer token cannot carry (only letters, digits and - . _ ~ + / = are allowed, RFC 6750 §2.1); ${HOW_TO_MAKE_A_TOKEN}`,
    );
  }
  if (new Set(token).size < MINIMUM_DISTINCT_CHARACTERS) {
    throw new ConfigError(
      `${label} is not random enough (fewer than ${MINIMUM_DISTINCT_CHARACTERS} distinct characters); ${HOW_TO_MAKE_A_TOKEN}`,
    );
  }
}

/** Splits SCIM_TOKENS ("t1,t2") into tokens, ignoring blanks around commas, and checks each one. */
export function parseBearerTokenList(value: string, variable: string): string[] {
  const tokens = value
    .split(",")
    .map((token) => token.trim())
    .filter((token) => token.length > 0);
  if (tokens.length === 0) {
    throw new ConfigError(
      `${variable} is set but holds no token; give one or more comma-separated tokens, or unset it. ${HOW_TO_MAKE_A_TOKEN}`,
    );
  }
  tokens.forEach((token, index) => {
    assertStrongBearerToken(token, `${variable} entry ${index + 1} of ${tokens.length}`);
  });
  return tokens;
}
