/**
 * A small SCIM client over real HTTP (Node's fetch, keep-alive) for the robustness suites. It never
 * throws on an HTTP status: callers assert on `status` and `body`. Network failures (a killed replica)
 * do throw, which is how the crash test tells "not acknowledged" from "acknowledged".
 */
export interface ScimEndpoint {
  /** origin + base path, e.g. `http://127.0.0.1:41234/scim/v2`. */
  readonly baseUrl: string;
  readonly token: string;
}

export interface ScimResponse {
  readonly status: number;
  readonly contentType: string;
  /** Parsed JSON when the body is JSON, the raw text otherwise, undefined when empty. */
  readonly body: unknown;
  readonly text: string;
}

export const SCIM_CONTENT_TYPE = "application/scim+json";
export const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
export const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";
export const LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

export async function scimRequest(
  endpoint: ScimEndpoint,
  method: string,
  path: string,
  body?: unknown,
  options: { timeoutMs?: number; headers?: Record<string, string> } = {},
): Promise<ScimResponse> {
  const response = await fetch(endpoint.baseUrl + path, {
    method,
    headers: {
      authorization: `Bearer ${endpoint.token}`,
      ...(body === undefined ? {} : { "content-type": SCIM_CONTENT_TYPE }),
      ...options.headers,
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
  });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get("content-type") ?? "", ...parse(text) };
}

export function parse(text: string): { body: unknown; text: string } {
  if (text.length === 0) return { body: undefined, text };
  try {
    return { body: JSON.parse(text), text };
  } catch {
    return { body: text, text };
  }
}

/** RFC 7644 §3.12: `schemas` = [Error URN], `status` a string equal to the HTTP status. Returns a problem or undefined. */
export function scimErrorProblem(status: number, body: unknown): string | undefined {
  if (typeof body !== "object" || body === null)
    return `error body is not a JSON object: ${JSON.stringify(body)}`;
  const error = body as { schemas?: unknown; status?: unknown; detail?: unknown };
  if (!Array.isArray(error.schemas) || !error.schemas.includes(ERROR_SCHEMA))
    return `error body lacks schemas [${ERROR_SCHEMA}]`;
  if (error.status !== String(status))
    return `error body status ${JSON.stringify(error.status)} ≠ "${status}"`;
  return undefined;
}

/** Runs `task` over `items` with at most `limit` in flight; results in input order. */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index], index);
    }
  });
  await Promise.all(workers);
  return results;
}

export function newUser(userName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { schemas: [USER_SCHEMA], userName, active: true, ...extra };
}

export function patchOf(...operations: unknown[]): Record<string, unknown> {
  return { schemas: [PATCH_SCHEMA], Operations: operations };
}
