import assert from "node:assert/strict";
import { test } from "node:test";
import { cloneJson } from "../../../src/scim/resource/json-clone";

test("cloneJson copies a JSON document deeply: equal, and no object or array shared", () => {
  const original = JSON.parse(
    '{"userName":"a@b","active":true,"n":1.5,"x":null,"emails":[{"value":"a@b","primary":true}],"name":{"givenName":"A"}}',
  );
  const copy = cloneJson(original);
  assert.deepStrictEqual(copy, original);
  copy.emails[0].value = "changed";
  copy.name.givenName = "changed";
  copy.emails.push({ value: "more" });
  assert.equal(original.emails[0].value, "a@b");
  assert.equal(original.name.givenName, "A");
  assert.equal(original.emails.length, 1);
});

test("cloneJson keeps a __proto__ key as an own property and never changes the copy's prototype", () => {
  const original = JSON.parse('{"__proto__":{"polluted":true},"a":1}');
  const copy = cloneJson(original);
  assert.equal(Object.getPrototypeOf(copy), Object.prototype);
  assert.equal((copy as { polluted?: boolean }).polluted, undefined);
  assert.deepStrictEqual(Object.keys(copy), ["__proto__", "a"]);
  assert.deepStrictEqual(Object.getOwnPropertyDescriptor(copy, "__proto__")?.value, { polluted: true });
});
