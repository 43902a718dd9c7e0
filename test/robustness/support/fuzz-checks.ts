/**
 * What every answer to a fuzz case must satisfy, whatever was sent (issue #3, "Bad input"):
 * never a 5xx; every 4xx is an RFC 7644 §3.12 error body (`schemas` = Error URN, `status` = the HTTP
 * status as a string) sent as application/scim+json; success bodies are JSON.
 */
import assert from "node:assert/strict";
import type { WireRequest, WireResponse } from "./fuzz-target";
import { LIST_SCHEMA, scimErrorProblem } from "./scim-client";

export function describeRequest(request: WireRequest): string {
  const body =
    request.body === undefined
      ? ""
      : ` body(${request.body.length}): ${(Buffer.isBuffer(request.body) ? request.body.toString("hex") : request.body).slice(0, 400)}`;
  return `${request.method} ${request.url.slice(0, 400)} ${JSON.stringify(request.headers ?? {}).slice(0, 200)}${body}`;
}

function describeResponse(response: WireResponse): string {
  return `${response.status} ${response.contentType} ${response.text.slice(0, 400)}`;
}

export function assertWellFormed(request: WireRequest, response: WireResponse): void {
  const context = () => `\n  request: ${describeRequest(request)}\n  response: ${describeResponse(response)}`;
  // RFC 7644 §3.7 / §3.12: a service without bulk support answers /Bulk with 501 — the one 5xx that is
  // not a failure.
  const unsupportedBulk = response.status === 501 && /\/Bulk\/?(\?|$)/i.test(request.url);
  assert.ok(response.status < 500 || unsupportedBulk, `5xx answer${context()}`);
  if (response.status >= 400) {
    // 4xx and the 501 above: RFC 7644 §3.12 error body.
    if (request.method === "HEAD") return; // HEAD answers carry no body by definition (RFC 9110 §9.3.2)
    const problem = scimErrorProblem(response.status, response.body);
    assert.equal(problem, undefined, `4xx without a SCIM error body: ${problem}${context()}`);
    assert.match(
      response.contentType,
      /^application\/scim\+json/,
      `4xx not sent as application/scim+json${context()}`,
    );
  }
}

/** A 200 to a list request is a ListResponse whose figures add up (RFC 7644 §3.4.2). */
export function assertListResponse(request: WireRequest, response: WireResponse): void {
  const context = `\n  request: ${describeRequest(request)}\n  response: ${describeResponse(response)}`;
  const list = response.body as {
    schemas?: unknown;
    totalResults?: unknown;
    Resources?: unknown;
    itemsPerPage?: unknown;
  };
  assert.ok(
    Array.isArray(list?.schemas) && list.schemas.includes(LIST_SCHEMA),
    `not a ListResponse${context}`,
  );
  assert.equal(typeof list.totalResults, "number", `totalResults is not a number${context}`);
  const resources = (list.Resources ?? []) as unknown[];
  assert.ok(Array.isArray(resources), `Resources is not an array${context}`);
  assert.ok(resources.length <= (list.totalResults as number), `more Resources than totalResults${context}`);
}
