/**
 * Bad input never escapes as anything but a ScimError with a 4xx status (the HTTP layer would turn any
 * other exception into a 500): generated filters, PATCH bodies and resource bodies, built from the
 * pieces real requests are made of so that most inputs get deep into the parser and engine.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { normalisePatchRequest, normaliseResourceBody } from "../../src/scim/entra-dialect";
import { ScimError } from "../../src/scim/errors";
import { parseFilter } from "../../src/scim/filter/parser";
import { applyPatch } from "../../src/scim/patch/apply";
import { coerceResourceAttributes } from "../../src/scim/resource/coerce";
import { groupResourceType, userResourceType } from "../../src/scim/schemas/resource-types";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/** Runs `action`; returns normally on success or on a 4xx ScimError, fails the property otherwise. */
function onlyClientErrors(action: () => unknown): void {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof ScimError, `unexpected ${String(error)}`);
    assert.ok(error.status >= 400 && error.status < 500, `status ${error.status}: ${error.detail}`);
  }
}

const filterPieces = fc.constantFrom(
  "userName",
  "USERNAME",
  "eq",
  "Eq",
  "ne",
  "co",
  "sw",
  "ew",
  "gt",
  "ge",
  "lt",
  "le",
  "pr",
  "and",
  "or",
  "not",
  "(",
  ")",
  "[",
  "]",
  '"a"',
  '"x\\"y"',
  '"',
  "true",
  "False",
  "null",
  "42",
  "-1.5e3",
  "emails",
  "emails.value",
  "type",
  "primary",
  "value",
  ".value",
  "active",
  "meta.created",
  '"2020-01-01T00:00:00Z"',
  "name",
  "name.givenName",
  `${ENTERPRISE}:manager`,
  `${ENTERPRISE}:employeeNumber`,
  "members",
  "unknown",
  "\\",
  "",
  " ",
);

const jsonValues = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom("True", "False", "", null, [], {}, [{ value: "u1" }], { value: "m" }, [
    { type: "work", value: "w@x" },
  ]),
);

const paths = fc.constantFrom(
  "active",
  "userName",
  "displayName",
  "title",
  "name",
  "name.givenName",
  "NAME.familyname",
  "emails",
  "emails.value",
  'emails[type eq "work"]',
  'emails[type eq "work"].value',
  'emails[type eq "work"',
  'emails[type ne "x"].primary',
  'addresses[type eq "work"].streetAddress',
  "members",
  'members[value eq "u1"]',
  'members[display eq "x"]',
  ENTERPRISE,
  `${ENTERPRISE}:manager`,
  `${ENTERPRISE}:manager.value`,
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0User:department",
  "id",
  "meta",
  "meta.created",
  "unknown",
  "unknown[x eq 1]",
  "",
  "[",
  "emails[",
  "emails]",
);

const operation = fc.record(
  {
    op: fc.constantFrom("add", "Add", "replace", "Replace", "remove", "REMOVE", "move", 7),
    path: paths,
    value: jsonValues,
  },
  { requiredKeys: ["op"] },
);

const pathLessValue = fc.dictionary(
  fc.constantFrom(
    "userName",
    "displayName",
    "name.givenName",
    "emails",
    "members",
    "active",
    `${ENTERPRISE}:employeeNumber`,
    ENTERPRISE,
    "meta",
    "id",
    "x.y",
    'emails[type eq "work"].value',
  ),
  jsonValues,
);

describe("bad input is always a 4xx ScimError", () => {
  it("generated filters", () => {
    fc.assert(
      fc.property(fc.array(filterPieces, { maxLength: 25 }), (pieces) => {
        onlyClientErrors(() => parseFilter(pieces.join(" "), userResourceType));
        onlyClientErrors(() => parseFilter(pieces.join(""), groupResourceType));
      }),
      { numRuns: 400 },
    );
  });

  it("generated PATCH requests, for users and groups", () => {
    const user = {
      userName: "a",
      emails: [{ type: "work", value: "a@x", primary: true }],
      name: { givenName: "A" },
      [ENTERPRISE]: { manager: { value: "m" } },
    };
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(operation, fc.record({ op: fc.constantFrom("add", "replace"), value: pathLessValue })),
          { maxLength: 6 },
        ),
        (operations) => {
          for (const resourceType of [userResourceType, groupResourceType]) {
            onlyClientErrors(() =>
              applyPatch(user, normalisePatchRequest({ Operations: operations }, resourceType), resourceType),
            );
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it("generated resource bodies", () => {
    fc.assert(
      fc.property(fc.oneof(pathLessValue, fc.jsonValue({ maxDepth: 3 })), (body) => {
        for (const resourceType of [userResourceType, groupResourceType]) {
          onlyClientErrors(() =>
            coerceResourceAttributes(resourceType, normaliseResourceBody(body, resourceType)),
          );
        }
      }),
      { numRuns: 400 },
    );
  });
});
