/** RFC 7644 §3.4.2 ListResponse and its pagination parameters (§3.4.2.4). */
import { ScimError } from "../errors";
import type { JsonObject } from "./coerce";

export const LIST_RESPONSE_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

export interface Page {
  readonly startIndex: number;
  readonly count: number;
}

/**
 * RFC 7644 §3.4.2.4: startIndex < 1 is read as 1, a negative count as 0; count is capped at maxResults
 * (the ServiceProviderConfig's filter.maxResults).
 */
export function parsePage(query: URLSearchParams, defaultCount: number, maxResults: number): Page {
  const startIndex = integerParameter(query, "startIndex") ?? 1;
  const count = integerParameter(query, "count") ?? defaultCount;
  return { startIndex: Math.max(1, startIndex), count: Math.min(Math.max(0, count), maxResults) };
}

export function listResponse(
  resources: readonly JsonObject[],
  totalResults: number,
  startIndex: number,
): JsonObject {
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}

function integerParameter(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw.trim() === "") return undefined;
  if (!/^-?\d+$/.test(raw.trim())) {
    throw new ScimError(400, "invalidValue", `${name} must be an integer, got "${raw}"`);
  }
  const value = Number(raw.trim());
  return Number.isSafeInteger(value) ? value : Math.sign(value) * Number.MAX_SAFE_INTEGER;
}
