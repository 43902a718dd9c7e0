/**
 * JSON request bodies for fuzzing POST and PUT of Users and Groups: plausible resources with hostile
 * values (unicode, wrong types, Entra's nulls and malformed URNs, client-supplied id/meta), arbitrary
 * JSON, deeply nested values and huge strings. Plus raw bodies that are not JSON at all.
 */
import fc from "fast-check";
import { hugeString, nastyString, storableString } from "./unicode";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";

/** Arbitrary JSON, small: strings include the nasty units. */
export const anyJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", maxDepth: 4 },
    nastyString,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(nastyString, fc.constantFrom("__proto__", "constructor", "value", "type")),
      tie("value"),
      {
        maxKeys: 4,
      },
    ),
  ),
})).value;

/** `{"a":{"a":…}}` or `[[[…]]]` nested `depth` levels: recursion in validators, cloners, renderers. */
export const deeplyNested = fc
  .tuple(fc.integer({ min: 50, max: 100_000 }), fc.boolean())
  .map(([depth, asArray]) =>
    asArray ? `${"[".repeat(depth)}1${"]".repeat(depth)}` : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`,
  );

/** The same nesting as a parsed value, to embed inside an otherwise well-formed resource or PATCH. */
export const deeplyNestedValue = fc.integer({ min: 33, max: 3_000 }).map((depth) => {
  let value: unknown = "bottom";
  for (let level = 0; level < depth; level++) value = level % 2 === 0 ? { value } : [value];
  return value;
});

const schemasFor = (schema: string) =>
  fc.constantFrom(
    [schema],
    [schema, ENTERPRISE],
    [schema, "urn:ietf:params:scim:schemas:extension:enterprise:2.0User"], // Entra's malformed URN
    [schema, "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
    [],
    ["urn:bogus"],
    schema,
  );

const hostileValue = fc.oneof(
  { weight: 4, arbitrary: storableString },
  { weight: 3, arbitrary: nastyString },
  { weight: 2, arbitrary: anyJson },
  { weight: 1, arbitrary: hugeString },
  { weight: 1, arbitrary: deeplyNestedValue },
);

const email = fc.record(
  {
    value: hostileValue,
    type: fc.oneof(fc.constantFrom("work", "home", "other"), nastyString),
    primary: fc.oneof(fc.boolean(), fc.constantFrom("True", "False", "yes")),
  },
  { requiredKeys: [] },
);

/** Text that is valid but hostile: what a well-formed request may legitimately carry. */
export const plausibleText = fc.oneof(
  { weight: 3, arbitrary: storableString },
  { weight: 2, arbitrary: nastyString.filter((text) => text.length > 0) },
  {
    weight: 1,
    arbitrary: fc.constantFrom("%", "_", "'", "\\", "' OR '1'='1", "Robert'); DROP TABLE resources;--"),
  },
);

/**
 * A User body of the right shape and types as Entra sends it (its schema URN spellings, string booleans,
 * nulls, unknown attributes), with hostile text in every string: most of these must be accepted, so they
 * reach the store.
 */
const plausibleUserBody = fc.record(
  {
    schemas: fc.constantFrom(
      [USER_SCHEMA],
      [USER_SCHEMA, ENTERPRISE],
      [USER_SCHEMA, "urn:ietf:params:scim:schemas:extension:enterprise:2.0User"],
    ),
    userName: plausibleText,
    externalId: fc.oneof(fc.uuid(), plausibleText),
    active: fc.oneof(fc.boolean(), fc.constantFrom("True", "False")),
    displayName: plausibleText,
    title: fc.oneof(fc.constant(null), plausibleText),
    manager: fc.constant(null),
    name: fc.record(
      { givenName: plausibleText, familyName: plausibleText, formatted: plausibleText },
      { requiredKeys: [] },
    ),
    emails: fc.array(
      fc.record(
        { value: plausibleText, type: fc.constantFrom("work", "home", "other"), primary: fc.boolean() },
        { requiredKeys: ["value"] },
      ),
      { maxLength: 3 },
    ),
    roles: fc.constant([]),
    meta: fc.constant({ resourceType: "User" }),
    [ENTERPRISE]: fc.record(
      { employeeNumber: plausibleText, department: plausibleText },
      { requiredKeys: [] },
    ),
    preferredLanguage: fc.constantFrom("en-US", "he-IL", "ar-SA"),
  },
  { requiredKeys: ["schemas", "userName"] },
);

/** A User-shaped body: what Entra sends, then bent. */
const chaoticUserBody = fc.record(
  {
    schemas: schemasFor(USER_SCHEMA),
    userName: hostileValue,
    externalId: fc.oneof(fc.uuid(), hostileValue),
    active: fc.oneof(fc.boolean(), fc.constantFrom("True", "False", "maybe", 1, null)),
    displayName: hostileValue,
    title: fc.oneof(fc.constant(null), hostileValue),
    manager: fc.constant(null),
    name: fc.oneof(
      fc.record(
        { givenName: hostileValue, familyName: hostileValue, formatted: hostileValue },
        { requiredKeys: [] },
      ),
      anyJson,
    ),
    emails: fc.oneof(fc.array(email, { maxLength: 3 }), anyJson),
    roles: fc.oneof(fc.constant([]), anyJson),
    meta: fc.oneof(fc.constant({ resourceType: "User" }), anyJson),
    id: fc.oneof(fc.uuid(), hostileValue),
    [ENTERPRISE]: fc.oneof(
      fc.record(
        { employeeNumber: hostileValue, department: hostileValue, manager: anyJson },
        { requiredKeys: [] },
      ),
      anyJson,
    ),
    unknownAttribute: anyJson,
  },
  { requiredKeys: [] },
);

export const userBody: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  { weight: 1, arbitrary: plausibleUserBody },
  { weight: 1, arbitrary: chaoticUserBody },
);

export const groupBody = (memberIds: readonly string[]): fc.Arbitrary<Record<string, unknown>> =>
  fc.oneof(plausibleGroupBody(memberIds), chaoticGroupBody(memberIds));

/** A Group as Entra creates it (members are usually added later by PATCH), hostile text in its names. */
const plausibleGroupBody = (memberIds: readonly string[]) =>
  fc.record(
    {
      schemas: fc.constantFrom(
        [GROUP_SCHEMA],
        [GROUP_SCHEMA, "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
      ),
      displayName: plausibleText,
      externalId: fc.oneof(fc.uuid(), plausibleText),
      members: fc
        .uniqueArray(fc.constantFrom(...memberIds), { maxLength: 3 })
        .map((ids) => ids.map((value) => ({ value }))),
    },
    { requiredKeys: ["schemas", "displayName"] },
  );

const chaoticGroupBody = (memberIds: readonly string[]) =>
  fc.record(
    {
      schemas: schemasFor(GROUP_SCHEMA),
      displayName: hostileValue,
      externalId: hostileValue,
      members: fc.oneof(
        fc.array(
          fc.oneof(
            fc.constantFrom(...memberIds).map((value) => ({ value })),
            fc.uuid().map((value) => ({ value })),
            anyJson,
          ),
          { maxLength: 4 },
        ),
        anyJson,
      ),
      meta: anyJson,
    },
    { requiredKeys: [] },
  );

/** What goes on the wire: JSON text, or bytes that are not valid JSON / not valid UTF-8. */
export type WireBody = string | Buffer;

export const notJsonBody: fc.Arbitrary<WireBody> = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "{",
    "}",
    "[",
    "nul",
    "{'userName':'a'}",
    '{"userName":"a",}',
    '{"userName":"a"}{"x":1}',
    "\ufeff{}",
    '{"userName":"\\ud800"}',
    '{"a":"\\u0000"}',
    '{"__proto__":{"admin":true},"userName":"proto"}',
  ),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
  fc.constant(Buffer.from([0x7b, 0x22, 0x75, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])), // {"u":"<invalid UTF-8>"}
  fc.constant(Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d])), // UTF-8 BOM + {}
  deeplyNested,
  fc.string({ unit: "binary", maxLength: 64 }),
);
