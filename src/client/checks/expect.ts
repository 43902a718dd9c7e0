/**
 * Assertions over an Exchange. Each throws a CheckFailure carrying the exchange, so the report can show
 * the request sent and the response received.
 */
import { ERROR_SCHEMA, LIST_RESPONSE_SCHEMA } from "../entra-bodies";
import type { Exchange, ReceivedResponse } from "../scim-connection";
import { CheckFailure } from "./check";

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The response, or a failure when none arrived (timeout, refused…). */
export function responseOf(exchange: Exchange, what: string): ReceivedResponse {
  if (!exchange.response) throw new CheckFailure(`${what}: ${exchange.error}`, exchange);
  return exchange.response;
}

export function expectStatus(
  exchange: Exchange,
  expected: readonly number[],
  what: string,
): ReceivedResponse {
  const response = responseOf(exchange, what);
  if (!expected.includes(response.status)) {
    throw new CheckFailure(
      `${what}: expected HTTP ${expected.join(" or ")}, got ${response.status}`,
      exchange,
    );
  }
  return response;
}

export function expectJsonObject(exchange: Exchange, what: string): JsonObject {
  const body = responseOf(exchange, what).body;
  if (!isObject(body)) throw new CheckFailure(`${what}: expected a JSON object body`, exchange);
  return body;
}

export function expectThat(
  condition: boolean,
  message: string,
  exchange?: Exchange | readonly Exchange[],
): asserts condition {
  if (!condition) throw new CheckFailure(message, exchange);
}

/** A ListResponse (RFC 7644 §3.4.2): schemas, totalResults, Resources (absent allowed when empty). */
export function expectListResponse(
  exchange: Exchange,
  what: string,
): { total: number; resources: JsonObject[] } {
  expectStatus(exchange, [200], what);
  const body = expectJsonObject(exchange, what);
  const schemas = body.schemas;
  expectThat(
    Array.isArray(schemas) && schemas.includes(LIST_RESPONSE_SCHEMA),
    `${what}: schemas must contain ${LIST_RESPONSE_SCHEMA}`,
    exchange,
  );
  expectThat(typeof body.totalResults === "number", `${what}: totalResults must be a number`, exchange);
  const resources = body.Resources ?? [];
  expectThat(
    Array.isArray(resources) && resources.every(isObject),
    `${what}: Resources must be an array of objects`,
    exchange,
  );
  return { total: body.totalResults as number, resources: resources as JsonObject[] };
}

/** Exactly one resource, with this id. */
export function expectSingleMatch(exchange: Exchange, id: string, what: string): JsonObject {
  const { total, resources } = expectListResponse(exchange, what);
  expectThat(
    total === 1 && resources.length === 1,
    `${what}: expected exactly 1 match, got totalResults ${total} with ${resources.length} resources`,
    exchange,
  );
  expectThat(
    resources[0].id === id,
    `${what}: matched id ${String(resources[0].id)}, expected ${id}`,
    exchange,
  );
  return resources[0];
}

/** RFC 7644 §3.12 error body; `status` must be the string form of the HTTP status. */
export function expectScimError(exchange: Exchange, status: number, what: string): JsonObject {
  expectStatus(exchange, [status], what);
  const body = expectJsonObject(exchange, `${what} (RFC 7644 §3.12 error body)`);
  expectThat(
    Array.isArray(body.schemas) && body.schemas.includes(ERROR_SCHEMA),
    `${what}: error body schemas must contain ${ERROR_SCHEMA}`,
    exchange,
  );
  expectThat(
    body.status === String(status),
    `${what}: error body status must be the string "${status}" (got ${JSON.stringify(body.status)})`,
    exchange,
  );
  return body;
}

export function expectId(exchange: Exchange, what: string): string {
  const body = expectJsonObject(exchange, what);
  expectThat(typeof body.id === "string" && body.id.length > 0, `${what}: response has no id`, exchange);
  return body.id as string;
}
