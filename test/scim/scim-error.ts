/** Assertion helper: `assert.throws(fn, scimError(400, "invalidFilter", /quoted part/))`. */
import assert from "node:assert/strict";
import { ScimError } from "../../src/scim/errors";

export function scimError(status: number, scimType: string | undefined, detail?: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof ScimError, `expected a ScimError, got ${String(error)}`);
    assert.equal(error.status, status, error.detail);
    assert.equal(error.scimType, scimType, error.detail);
    if (detail) assert.match(error.detail, detail);
    return true;
  };
}
