/**
 * PATCH documents (RFC 7644 §3.5.2) for fuzzing `PATCH /Users/{id}` and `PATCH /Groups/{id}`, in both of
 * Entra's dialects (docs/entra-scim-wire.md "The two PATCH dialects"): capitalised ops with string
 * booleans, lower-case ops with path-less dotted keys, value-path filters, member adds/removes — and
 * everything around them that is wrong: unknown ops, bad paths, wrong value types, missing fields, a
 * valid op followed by an invalid one (the whole PATCH must then change nothing), non-array Operations.
 */
import fc from "fast-check";
import { validFilter } from "./filter";
import { anyJson, deeplyNestedValue, plausibleText } from "./json-body";
import { nastyString, storableString } from "./unicode";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

const opName = fc.oneof(
  { weight: 8, arbitrary: fc.mixedCase(fc.constantFrom("add", "replace", "remove")) },
  { weight: 1, arbitrary: fc.constantFrom("move", "copy", "test", "delete", "", "add ", "Add\u0000") },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.constant(null), fc.boolean()) },
);

const USER_PATHS = [
  "active",
  "userName",
  "displayName",
  "externalId",
  "title",
  "name.givenName",
  "name.familyName",
  "name",
  "emails",
  'emails[type eq "work"].value',
  'emails[type eq "work"]',
  'emails[type eq "home"].primary',
  'phoneNumbers[type eq "work"].value',
  'addresses[type eq "work"].streetAddress',
  "roles",
  `${ENTERPRISE}:employeeNumber`,
  `${ENTERPRISE}:department`,
  `${ENTERPRISE}:manager`,
  "urn:ietf:params:scim:schemas:core:2.0:User:displayName",
  "id",
  "meta",
  "meta.created",
  "schemas",
  "groups",
] as const;

const GROUP_PATHS = [
  "displayName",
  "externalId",
  "members",
  "members.value",
  "id",
  "meta.lastModified",
] as const;

const userPath = fc.oneof(
  { weight: 6, arbitrary: fc.mixedCase(fc.constantFrom(...USER_PATHS)) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom("emails", "phoneNumbers", "addresses", "roles"),
        validFilter(["type", "value", "primary"]),
      )
      .map(([attribute, filter]) => `${attribute}[${filter}]`),
  },
  { weight: 1, arbitrary: nastyString },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "emails[",
      "emails[]",
      "emails[type eq]",
      ".",
      "a..b",
      "urn:",
      "emails].value",
    ),
  },
);

const memberReference = (ids: readonly string[]) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...ids).map((value) => ({ value })) },
    { weight: 2, arbitrary: fc.constantFrom(...ids).map((value) => ({ $ref: null, value })) },
    { weight: 1, arbitrary: fc.uuid().map((value) => ({ value })) },
    { weight: 1, arbitrary: anyJson.map((value) => ({ value })) },
    { weight: 1, arbitrary: anyJson },
  );

const groupPath = (ids: readonly string[]) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.mixedCase(fc.constantFrom(...GROUP_PATHS)) },
    { weight: 3, arbitrary: fc.constantFrom(...ids).map((id) => `members[value eq "${id}"]`) },
    { weight: 1, arbitrary: nastyString.map((value) => `members[value eq ${JSON.stringify(value)}]`) },
    { weight: 1, arbitrary: nastyString },
  );

/** Values as Entra sends them plus anything else JSON can express. */
const scalarValue = fc.oneof(
  { weight: 3, arbitrary: storableString },
  { weight: 2, arbitrary: fc.constantFrom("True", "False", "true", "false", true, false) },
  { weight: 2, arbitrary: nastyString },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constant(null)) },
  { weight: 1, arbitrary: deeplyNestedValue },
);

const pathlessValue = fc.dictionary(
  fc.oneof(
    fc.constantFrom(
      "displayName",
      "name.givenName",
      "name.familyName",
      "active",
      "title",
      "externalId",
      "userName",
      `${ENTERPRISE}:employeeNumber`,
      `${ENTERPRISE}:manager`,
      'emails[type eq "work"].value',
      "id",
      "meta",
    ),
    nastyString,
  ),
  fc.oneof(scalarValue, anyJson),
  { maxKeys: 5 },
);

const userOperation = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record(
      { op: opName, path: userPath, value: fc.oneof(scalarValue, anyJson) },
      { requiredKeys: ["op"] },
    ),
  },
  { weight: 2, arbitrary: fc.record({ op: opName, value: pathlessValue }) },
  { weight: 1, arbitrary: anyJson },
);

const groupOperation = (ids: readonly string[]) =>
  fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record(
        {
          op: opName,
          path: groupPath(ids),
          value: fc.oneof(fc.array(memberReference(ids), { maxLength: 4 }), scalarValue, anyJson),
        },
        { requiredKeys: ["op"] },
      ),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        op: opName,
        value: fc.dictionary(
          fc.constantFrom("displayName", "externalId", "members"),
          fc.oneof(scalarValue, anyJson),
        ),
      }),
    },
    { weight: 1, arbitrary: anyJson },
  );

function patchDocument(operation: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc
        .tuple(
          fc.constantFrom([PATCH_SCHEMA], [PATCH_SCHEMA], [], ["urn:bogus"], PATCH_SCHEMA),
          fc.array(operation, { maxLength: 5 }),
          fc.mixedCase(fc.constant("Operations")),
        )
        .map(([schemas, operations, key]) => ({ schemas, [key]: operations })),
    },
    { weight: 1, arbitrary: fc.record({ schemas: fc.constant([PATCH_SCHEMA]), Operations: anyJson }) },
    { weight: 1, arbitrary: anyJson },
  );
}

/** Operations Entra sends, in both dialects, with hostile text: most must be accepted and stored. */
const plausibleUserOperation = fc.oneof(
  fc.record({
    op: fc.constantFrom("Replace", "replace", "Add", "add"),
    path: fc.constantFrom(
      "displayName",
      "title",
      "externalId",
      "name.givenName",
      "name.familyName",
      "preferredLanguage",
      `${ENTERPRISE}:employeeNumber`,
      `${ENTERPRISE}:department`,
      'emails[type eq "work"].value',
      'phoneNumbers[type eq "work"].value',
      'addresses[type eq "work"].streetAddress',
    ),
    value: plausibleText,
  }),
  fc.record({
    op: fc.constantFrom("Replace", "replace", "Add"),
    path: fc.constant("active"),
    value: fc.constantFrom(true, false, "True", "False"),
  }),
  fc.record({
    op: fc.constantFrom("Remove", "remove"),
    path: fc.constantFrom(
      "title",
      "name.givenName",
      `${ENTERPRISE}:department`,
      'emails[type eq "home"]',
      "nickName",
    ),
  }),
  fc.record({
    op: fc.constant("replace"),
    value: fc.dictionary(
      fc.constantFrom(
        "displayName",
        "title",
        "name.givenName",
        "name.familyName",
        `${ENTERPRISE}:employeeNumber`,
      ),
      plausibleText,
      { minKeys: 1, maxKeys: 3 },
    ),
  }),
  fc.record({
    op: fc.constantFrom("Add", "add"),
    path: fc.constant("emails"),
    value: fc.array(fc.record({ type: fc.constantFrom("work", "home", "other"), value: plausibleText }), {
      minLength: 1,
      maxLength: 2,
    }),
  }),
  fc.record({
    op: fc.constantFrom("Add", "add", "Replace"),
    path: fc.constant(`${ENTERPRISE}:manager`),
    value: fc.oneof(
      fc.uuid(),
      fc.uuid().map((value) => ({ value })),
    ),
  }),
);

const plausibleGroupOperation = (ids: readonly string[]) =>
  fc.oneof(
    fc.record({
      op: fc.constantFrom("Add", "add", "Remove", "remove"),
      path: fc.constant("members"),
      value: fc
        .uniqueArray(fc.constantFrom(...ids), { minLength: 1, maxLength: 3 })
        .map((members) => members.map((value) => ({ $ref: null, value }))),
    }),
    fc.record({
      op: fc.constant("remove"),
      path: fc.constantFrom(...ids).map((id) => `members[value eq "${id}"]`),
    }),
    fc.record({
      op: fc.constantFrom("Replace", "replace"),
      path: fc.constant("displayName"),
      value: plausibleText,
    }),
    fc.record({ op: fc.constant("replace"), value: fc.record({ displayName: plausibleText }) }),
    fc.record({
      op: fc.constantFrom("Replace", "replace"),
      path: fc.constant("externalId"),
      value: plausibleText,
    }),
  );

const plausibleDocument = (operation: fc.Arbitrary<unknown>) =>
  fc
    .array(operation, { minLength: 1, maxLength: 4 })
    .map((operations) => ({ schemas: [PATCH_SCHEMA], Operations: operations }));

export const userPatch = fc.oneof(plausibleDocument(plausibleUserOperation), patchDocument(userOperation));
export const groupPatch = (memberIds: readonly string[]) =>
  fc.oneof(plausibleDocument(plausibleGroupOperation(memberIds)), patchDocument(groupOperation(memberIds)));
