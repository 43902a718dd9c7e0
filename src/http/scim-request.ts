/**
 * Turns an incoming HTTP request into the protocol's ScimRequest (src/scim/request.ts): the path relative
 * to the base path, the query as URLSearchParams (which decodes Entra's `+` for spaces), and the absolute
 * base URL used for meta.location.
 */
import type { FastifyRequest } from "fastify";
import { ScimError } from "../scim/errors";
import type { ScimRequest } from "../scim/request";

/**
 * Appending `?aadOptscim062020` to the tenant URL switches Entra to its RFC-compliant PATCH dialect, and
 * the flag may reach the server on any request (entra-scim-wire.md). It carries no meaning here: both
 * dialects are always understood, so the key is dropped before the protocol sees the query.
 */
const ENTRA_DIALECT_FLAG = "aadoptscim062020";
/** Cheap pre-check on the raw query, so the usual request skips the key walk (the flag may be encoded). */
const DIALECT_FLAG_ANYWHERE = /aadoptscim062020|%/i;

export function toScimRequest(request: FastifyRequest, basePath: string): ScimRequest {
  const [rawPath = "", rawQuery = ""] = splitOnce(request.url, "?");
  const query = new URLSearchParams(rawQuery);
  if (DIALECT_FLAG_ANYWHERE.test(rawQuery)) {
    for (const key of [...query.keys()]) {
      if (key.toLowerCase() === ENTRA_DIALECT_FLAG) query.delete(key);
    }
  }
  const ifMatch = request.headers["if-match"];
  return {
    // HEAD is a GET without the body (RFC 9110 §9.3.2); Node drops the body of a HEAD response itself.
    method: request.method === "HEAD" ? "GET" : request.method.toUpperCase(),
    path: relativePath(rawPath, basePath),
    query,
    body: request.body ?? undefined,
    baseUrl: `${request.protocol}://${request.host}${basePath}`,
    ...(typeof ifMatch === "string" ? { ifMatch } : {}),
  };
}

/**
 * "/scim/v2//Users/abc/" → "/Users/abc": the base path is matched case-insensitively, repeated slashes
 * (a tenant URL pasted with a trailing slash) collapse, a trailing slash is dropped, segments are decoded.
 */
export function relativePath(rawPath: string, basePath: string): string {
  // The usual request ("/scim/v2/Users/0190…"): nothing to collapse, trim or decode.
  if (
    rawPath.startsWith(basePath) &&
    !rawPath.includes("//") &&
    !rawPath.includes("%") &&
    !rawPath.endsWith("/")
  ) {
    return rawPath.slice(basePath.length);
  }
  const collapsed = rawPath.replace(/\/{2,}/g, "/");
  const rest = collapsed.toLowerCase().startsWith(basePath.toLowerCase())
    ? collapsed.slice(basePath.length)
    : collapsed;
  const trimmed = rest.replace(/\/+$/, "");
  try {
    return trimmed
      .split("/")
      .map((segment) => decodeURIComponent(segment))
      .join("/");
  } catch {
    throw new ScimError(
      400,
      "invalidSyntax",
      `The request path ${JSON.stringify(rawPath)} is not valid percent-encoding`,
    );
  }
}

function splitOnce(value: string, separator: string): [string, string] {
  const index = value.indexOf(separator);
  return index === -1 ? [value, ""] : [value.slice(0, index), value.slice(index + 1)];
}
