/**
 * The fuzz suites are only worth their count if their checks catch a broken service. Here the real
 * service is broken on purpose — a PATCH that applies its first operation and then reports 400, a filter
 * that answers 500, an error without a SCIM body — and each property must fail with the matching
 * message. (If one of these starts passing, the bad-input suites have gone blind.)
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ScimError } from "../../src/scim/errors";
import type { ScimProtocol, ScimRequest } from "../../src/scim/service";
import { randomToken } from "../support/server-process";
import { sqliteEngine, type TestDatabase } from "./support/engines";
import { FuzzSession } from "./support/fuzz-session";
import { type FuzzTarget, inProcessTarget } from "./support/fuzz-target";

type Sabotage = (real: ScimProtocol, request: ScimRequest) => ReturnType<ScimProtocol["handle"]>;

const sabotages: Record<
  string,
  { sabotage: Sabotage; property: "userPatches" | "filters"; expected: RegExp }
> = {
  "a PATCH that applies its first operation, then answers 400": {
    property: "userPatches",
    expected: /a rejected request changed/,
    async sabotage(real, request) {
      const operations = (request.body as { Operations?: unknown })?.Operations;
      if (request.method !== "PATCH" || !Array.isArray(operations) || operations.length < 2)
        return real.handle(request);
      await real.handle({
        ...request,
        body: { ...(request.body as object), Operations: operations.slice(0, 1) },
      });
      throw new ScimError(
        400,
        "invalidValue",
        "sabotaged: second operation refused after the first was stored",
      );
    },
  },
  "a filter with parentheses that answers 500": {
    property: "filters",
    expected: /5xx answer/,
    async sabotage(real, request) {
      if (request.query.get("filter")?.includes("(")) throw new Error("sabotaged: unhandled error");
      return real.handle(request);
    },
  },
  "a 400 whose body is not a SCIM error": {
    property: "filters",
    expected: /4xx without a SCIM error body/,
    async sabotage(real, request) {
      const response = await real.handle(request).catch((error: unknown) => {
        if (error instanceof ScimError && error.status === 400)
          return { status: 400, body: { message: error.detail } };
        throw error;
      });
      return response;
    },
  },
};

describe("the fuzz checks catch a broken service", () => {
  let database: TestDatabase;
  before(async () => {
    database = await sqliteEngine.createDatabase("fuzz-checks");
  });
  after(async () => {
    await database?.destroy();
  });

  for (const [name, { sabotage, property, expected }] of Object.entries(sabotages)) {
    test(`${property} fails on ${name}`, async () => {
      let target: FuzzTarget | undefined;
      try {
        target = await inProcessTarget(database.url, randomToken(), {
          protocol: (real) => ({ handle: (request) => sabotage(real, request) }),
        });
        const session = new FuzzSession(target, "sabotage");
        await session.seed();
        await assert.rejects(session[property](300), expected);
      } finally {
        await target?.close();
      }
    });
  }
});
