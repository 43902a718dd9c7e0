/**
 * The two Entra dialects describe the same change in two shapes (../shared/docs/entra-scim-wire.md,
 * "The two PATCH dialects"): one `Replace` per path with string booleans in the default dialect, one
 * path-less `replace` with dotted / URN-qualified keys in aadOptscim062020. For any values, both must
 * leave the same document.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { normalisePatchRequest } from "../../../src/scim/entra-dialect";
import { applyPatch } from "../../../src/scim/patch/apply";
import { userResourceType } from "../../../src/scim/schemas/resource-types";
import type { ResourceDocument } from "../../../src/store/contract";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const nonEmpty = fc.string({ minLength: 1, maxLength: 12 }).filter((text) => text.trim() !== "");

const change = fc.record(
  {
    displayName: nonEmpty,
    "name.givenName": nonEmpty,
    "name.familyName": nonEmpty,
    externalId: nonEmpty,
    active: fc.boolean(),
    title: nonEmpty,
    [`${ENTERPRISE}:employeeNumber`]: nonEmpty,
    [`${ENTERPRISE}:department`]: nonEmpty,
  },
  { requiredKeys: [] },
);

const start: ResourceDocument = {
  userName: "alice@contoso.com",
  active: true,
  name: { givenName: "Alice", familyName: "Smith", formatted: "Alice Smith" },
  [ENTERPRISE]: { employeeNumber: "1", costCenter: "CC" },
};

function apply(operations: unknown[]): ResourceDocument {
  return applyPatch(
    start,
    normalisePatchRequest({ Operations: operations }, userResourceType),
    userResourceType,
  ).document;
}

describe("both PATCH dialects give the same document", () => {
  it("one Replace per path (string booleans) ≡ one path-less replace with path keys", () => {
    fc.assert(
      fc.property(change, (values) => {
        fc.pre(Object.keys(values).length > 0);
        const perPath = Object.entries(values).map(([path, value]) => ({
          op: "Replace",
          path,
          value: typeof value === "boolean" ? (value ? "True" : "False") : value,
        }));
        const pathLess = [{ op: "replace", value: values }];
        const expected = apply(perPath);
        assert.deepEqual(apply(pathLess), expected);
        for (const [path, value] of Object.entries(values)) {
          const [, urnAttribute] = path.startsWith(ENTERPRISE) ? path.split(`${ENTERPRISE}:`) : [];
          const actual = urnAttribute
            ? (expected[ENTERPRISE] as Record<string, unknown>)[urnAttribute]
            : path.includes(".")
              ? (expected.name as Record<string, unknown>)[path.split(".")[1]!]
              : expected[path];
          assert.deepEqual(actual, value, path);
        }
        assert.equal((expected.name as Record<string, unknown>).formatted, "Alice Smith");
        assert.equal((expected[ENTERPRISE] as Record<string, unknown>).costCenter, "CC");
      }),
      { numRuns: 300 },
    );
  });
});
