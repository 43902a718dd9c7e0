/**
 * The PATCH engine behind the Entra normaliser, driven the way the service drives it: raw operations
 * (as Entra sends them, in both dialects) → normalisePatchRequest → applyPatch. Cases follow
 * ../shared/docs/entra-scim-wire.md, "The two PATCH dialects" and "More behaviours seen in the field".
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { normalisePatchRequest } from "../../../src/scim/entra-dialect";
import { applyPatch, type PatchResult } from "../../../src/scim/patch/apply";
import { groupResourceType, userResourceType } from "../../../src/scim/schemas/resource-types";
import type { ResourceDocument } from "../../../src/store/contract";
import { scimError } from "../scim-error";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

function patchUser(document: ResourceDocument, operations: unknown[]): ResourceDocument {
  const result = run(document, operations, "User");
  assert.deepEqual(result.memberOps, []);
  return result.document;
}

function patchGroup(
  operations: unknown[],
  document: ResourceDocument = { displayName: "Sales" },
): PatchResult {
  return run(document, operations, "Group");
}

function run(document: ResourceDocument, operations: unknown[], type: "User" | "Group"): PatchResult {
  const resourceType = type === "User" ? userResourceType : groupResourceType;
  const before = structuredClone(document);
  const result = applyPatch(
    document,
    normalisePatchRequest({ Operations: operations }, resourceType),
    resourceType,
  );
  assert.deepEqual(document, before, "applyPatch must not modify its input");
  return result;
}

const alice = (): ResourceDocument => ({
  userName: "alice@contoso.com",
  active: true,
  externalId: "ext-1",
  name: { givenName: "Alice", familyName: "Smith" },
  emails: [{ type: "work", value: "alice@contoso.com", primary: true }],
});

describe("PATCH: disable user in both dialects", () => {
  for (const [dialect, operation] of [
    ["default", { op: "Replace", path: "active", value: "False" }],
    ["default, Add", { op: "Add", path: "active", value: "False" }],
    ["aadOptscim062020", { op: "replace", path: "active", value: false }],
  ] as const) {
    it(`${dialect}: active becomes false and everything else stays`, () => {
      assert.deepEqual(patchUser(alice(), [operation]), { ...alice(), active: false });
    });
  }
});

describe("PATCH: several attributes in both dialects give the same document", () => {
  const expected = {
    ...alice(),
    externalId: "ext-2",
    displayName: "Alice Jones",
    name: { givenName: "Alicia", familyName: "Jones" },
    emails: [{ type: "work", value: "alicia@contoso.com", primary: true }],
    [ENTERPRISE]: { employeeNumber: "42" },
  };

  it("default dialect: one Replace per path", () => {
    const result = patchUser(alice(), [
      { op: "Replace", path: 'emails[type eq "work"].value', value: "alicia@contoso.com" },
      { op: "Replace", path: "name.givenName", value: "Alicia" },
      { op: "Replace", path: "name.familyName", value: "Jones" },
      { op: "Replace", path: "externalId", value: "ext-2" },
      { op: "Replace", path: `${ENTERPRISE}:employeeNumber`, value: "42" },
      { op: "Replace", path: "displayName", value: "Alice Jones" },
    ]);
    assert.deepEqual(result, expected);
  });

  it("aadOptscim062020: one path-less replace with dotted and URN-qualified keys", () => {
    const result = patchUser(alice(), [
      {
        op: "replace",
        value: {
          displayName: "Alice Jones",
          "name.givenName": "Alicia",
          "name.familyName": "Jones",
          externalId: "ext-2",
          'emails[type eq "work"].value': "alicia@contoso.com",
          [`${ENTERPRISE}:employeeNumber`]: "42",
        },
      },
    ]);
    assert.deepEqual(result, expected);
  });
});

describe("PATCH: value paths (SCIM Validator and Entra)", () => {
  it("replace on a missing value-path target adds the element {type, value}", () => {
    const result = patchUser(alice(), [
      { op: "Replace", path: 'phoneNumbers[type eq "work"].value', value: "+1 555 0100" },
      { op: "Replace", path: 'addresses[type eq "work"].streetAddress', value: "1 Main St" },
      { op: "replace", path: 'emails[type eq "home"].value', value: "alice@home.example" },
    ]);
    assert.deepEqual(result.phoneNumbers, [{ type: "work", value: "+1 555 0100" }]);
    assert.deepEqual(result.addresses, [{ type: "work", streetAddress: "1 Main St" }]);
    assert.deepEqual(result.emails, [
      { type: "work", value: "alice@contoso.com", primary: true },
      { type: "home", value: "alice@home.example" },
    ]);
  });

  it("replace on an existing value-path target changes only that element's sub-attribute", () => {
    const start = {
      ...alice(),
      addresses: [
        { type: "work", streetAddress: "old", locality: "Oslo" },
        { type: "home", streetAddress: "home" },
      ],
    };
    const result = patchUser(start, [
      { op: "Replace", path: 'addresses[type eq "work"].streetAddress', value: "new" },
    ]);
    assert.deepEqual(result.addresses, [
      { type: "work", streetAddress: "new", locality: "Oslo" },
      { type: "home", streetAddress: "home" },
    ]);
  });

  it("replace of a whole selected element replaces it (RFC 7644 §3.5.2.3); add merges into it", () => {
    const start = { ...alice(), phoneNumbers: [{ type: "work", value: "1", display: "one" }] };
    assert.deepEqual(
      patchUser(start, [
        { op: "replace", path: 'phoneNumbers[type eq "work"]', value: { type: "work", value: "2" } },
      ]).phoneNumbers,
      [{ type: "work", value: "2" }],
    );
    assert.deepEqual(
      patchUser(start, [{ op: "add", path: 'phoneNumbers[type eq "work"]', value: { value: "2" } }])
        .phoneNumbers,
      [{ type: "work", value: "2", display: "one" }],
    );
  });

  it("remove with a value filter removes the matching elements, or one sub-attribute of them", () => {
    const start = {
      ...alice(),
      emails: [
        { type: "work", value: "w@x" },
        { type: "home", value: "h@x", display: "H" },
      ],
    };
    assert.deepEqual(patchUser(start, [{ op: "remove", path: 'emails[type eq "work"]' }]).emails, [
      { type: "home", value: "h@x", display: "H" },
    ]);
    assert.deepEqual(patchUser(start, [{ op: "remove", path: 'emails[type eq "home"].display' }]).emails, [
      { type: "work", value: "w@x" },
      { type: "home", value: "h@x" },
    ]);
    assert.equal(patchUser(start, [{ op: "remove", path: 'emails[value co "@x"]' }]).emails, undefined);
  });

  it("value filters compare case-insensitively where the schema says caseExact=false", () => {
    const result = patchUser(alice(), [
      { op: "replace", path: 'EMAILS[TYPE eq "WORK"].VALUE', value: "new@contoso.com" },
    ]);
    assert.deepEqual(result.emails, [{ type: "work", value: "new@contoso.com", primary: true }]);
  });

  it("a value path that matches nothing and is not made of eq comparisons is noTarget", () => {
    assert.throws(
      () => patchUser(alice(), [{ op: "replace", path: 'emails[type ne "work"].value', value: "x" }]),
      scimError(400, "noTarget", /matches no value/),
    );
  });

  it("SCIM Validator email sequence: value paths build new elements, then set display and move primary", () => {
    const result = patchUser(alice(), [
      { op: "replace", path: 'emails[type eq "work"].value', value: "work@x" },
      { op: "add", path: 'emails[type eq "home"].value', value: "home@x" },
      { op: "replace", path: 'emails[type eq "home"].display', value: "Home" },
      { op: "add", path: 'emails[type eq "work"].primary', value: false },
      { op: "replace", path: 'emails[type eq "home"].primary', value: true },
    ]);
    assert.deepEqual(result.emails, [
      { type: "work", value: "work@x", primary: false },
      { type: "home", value: "home@x", display: "Home", primary: true },
    ]);
  });

  it("at most one element stays primary (RFC 7643 §2.4): the one just written wins", () => {
    const result = patchUser(alice(), [
      { op: "Add", path: "emails", value: [{ type: "home", value: "h@x", primary: "True" }] },
    ]);
    assert.deepEqual(result.emails, [
      { type: "work", value: "alice@contoso.com", primary: false },
      { type: "home", value: "h@x", primary: true },
    ]);
  });
});

describe("PATCH: add, replace and remove semantics", () => {
  it("add appends to multi-valued attributes without duplicating; replace replaces all values", () => {
    const added = patchUser(alice(), [
      {
        op: "add",
        path: "emails",
        value: [
          { type: "work", value: "alice@contoso.com", primary: true },
          { type: "other", value: "o@x" },
        ],
      },
    ]);
    assert.equal((added.emails as unknown[]).length, 2);
    const replaced = patchUser(alice(), [
      { op: "replace", path: "emails", value: [{ type: "other", value: "o@x" }] },
    ]);
    assert.deepEqual(replaced.emails, [{ type: "other", value: "o@x" }]);
  });

  it("path-less add (SCIM Validator 'patch user add attributes') adds new attributes", () => {
    const result = patchUser(alice(), [
      {
        op: "Add",
        value: { title: "Engineer", preferredLanguage: "en-US", [`${ENTERPRISE}:department`]: "R&D" },
      },
    ]);
    assert.equal(result.title, "Engineer");
    assert.equal(result.preferredLanguage, "en-US");
    assert.deepEqual(result[ENTERPRISE], { department: "R&D" });
  });

  it("path-less replace of a complex attribute keeps sub-attributes it does not name (RFC 7644 §3.5.2.3)", () => {
    const result = patchUser(alice(), [{ op: "replace", value: { name: { givenName: "Ally" } } }]);
    assert.deepEqual(result.name, { givenName: "Ally", familyName: "Smith" });
  });

  it("update userName via path-less replace (SCIM Validator)", () => {
    assert.equal(
      patchUser(alice(), [{ op: "replace", value: { userName: "alice2@contoso.com" } }]).userName,
      "alice2@contoso.com",
    );
  });

  it("attribute names are case-insensitive in paths and path-less values, stored canonically", () => {
    const result = patchUser(alice(), [
      { op: "replace", path: "NAME.GIVENNAME", value: "A" },
      { op: "replace", value: { DisplayName: "Display", "Name.FamilyName": "F" } },
    ]);
    assert.deepEqual(result.name, { givenName: "A", familyName: "F" });
    assert.equal(result.displayName, "Display");
    assert.equal(result.DisplayName, undefined);
  });

  it("remove of an absent attribute succeeds and changes nothing", () => {
    assert.deepEqual(
      patchUser(alice(), [
        { op: "Remove", path: "title" },
        { op: "remove", path: "name.middleName" },
        { op: "remove", path: 'phoneNumbers[type eq "fax"]' },
        { op: "remove", path: `${ENTERPRISE}:manager` },
      ]),
      alice(),
    );
  });

  it("an empty Operations array changes nothing", () => {
    assert.deepEqual(patchUser(alice(), []), alice());
  });

  it("unknown attributes and readOnly attributes (id, meta) are ignored, never a 400", () => {
    assert.deepEqual(
      patchUser(alice(), [
        { op: "replace", path: "nickname2", value: "x" },
        { op: "add", path: "urn:example:custom:2.0:User:costCode", value: "x" },
        { op: "replace", path: "id", value: "other" },
        { op: "replace", path: "meta.created", value: "2020-01-01T00:00:00Z" },
        {
          op: "add",
          value: { unknownThing: 1, "urn:example:custom": { a: 1 }, id: "x", meta: { version: "1" } },
        },
      ]),
      alice(),
    );
  });

  it("null values in a path-less replace clear those attributes, the enterprise extension included", () => {
    const start = { ...alice(), title: "T", [ENTERPRISE]: { department: "R&D" } };
    assert.deepEqual(
      patchUser(start, [
        { op: "replace", value: { title: null, [ENTERPRISE]: null, "name.familyName": null } },
      ]),
      {
        ...alice(),
        name: { givenName: "Alice" },
      },
    );
  });

  it("remove without a path is 400 noTarget (RFC 7644 §3.5.2.2)", () => {
    assert.throws(() => patchUser(alice(), [{ op: "remove" }]), scimError(400, "noTarget", /needs a "path"/));
  });

  it("a value of the wrong type for a known attribute is 400 invalidValue", () => {
    assert.throws(
      () => patchUser(alice(), [{ op: "replace", path: "active", value: "maybe" }]),
      scimError(400, "invalidValue", /"active" must be true or false/),
    );
    assert.throws(
      () => patchUser(alice(), [{ op: "replace", path: "title", value: { a: 1 } }]),
      scimError(400, "invalidValue", /"title" must be a string/),
    );
  });

  it("a malformed path is 400 invalidPath", () => {
    assert.throws(
      () => patchUser(alice(), [{ op: "replace", path: 'emails[type eq "work"', value: "x" }]),
      scimError(400, "invalidPath", /expected "\]"/),
    );
    assert.throws(
      () => patchUser(alice(), [{ op: "replace", path: 'emails[type eq "work"] value', value: "x" }]),
      scimError(400, "invalidPath"),
    );
  });
});

describe("PATCH: enterprise manager (SCIM Validator add/replace/remove manager)", () => {
  const path = `${ENTERPRISE}:manager`;
  it("add manager as a plain id (default dialect) or as {value}", () => {
    assert.deepEqual(patchUser(alice(), [{ op: "Add", path, value: "m1" }])[ENTERPRISE], {
      manager: { value: "m1" },
    });
    assert.deepEqual(patchUser(alice(), [{ op: "add", path, value: { value: "m1" } }])[ENTERPRISE], {
      manager: { value: "m1" },
    });
  });

  it("replace manager keeps the other enterprise attributes", () => {
    const start = { ...alice(), [ENTERPRISE]: { department: "R&D", manager: { value: "m1" } } };
    assert.deepEqual(patchUser(start, [{ op: "Replace", path, value: "m2" }])[ENTERPRISE], {
      department: "R&D",
      manager: { value: "m2" },
    });
  });

  it("remove manager, and an empty manager id, clear it", () => {
    const start = { ...alice(), [ENTERPRISE]: { manager: { value: "m1" } } };
    assert.equal(patchUser(start, [{ op: "Remove", path }])[ENTERPRISE], undefined);
    assert.equal(patchUser(start, [{ op: "Replace", path, value: "" }])[ENTERPRISE], undefined);
  });

  it("a path naming the whole extension replaces its attributes by merging", () => {
    const start = { ...alice(), [ENTERPRISE]: { department: "R&D" } };
    assert.deepEqual(
      patchUser(start, [{ op: "replace", path: ENTERPRISE, value: { employeeNumber: "7", manager: "m" } }])[
        ENTERPRISE
      ],
      {
        department: "R&D",
        employeeNumber: "7",
        manager: { value: "m" },
      },
    );
  });
});

describe("PATCH: group members become store operations", () => {
  for (const op of ["Add", "add"]) {
    it(`${op} members → add ids, document unchanged`, () => {
      const result = patchGroup([
        { op, path: "members", value: [{ $ref: null, value: "u1" }, { value: "u2" }] },
      ]);
      assert.deepEqual(result.memberOps, [{ op: "add", ids: ["u1", "u2"] }]);
      assert.deepEqual(result.document, { displayName: "Sales" });
    });
  }

  it("legacy member removal (default dialect) removes only the listed members", () => {
    const result = patchGroup([{ op: "Remove", path: "members", value: [{ value: "u1" }, { value: "u3" }] }]);
    assert.deepEqual(result.memberOps, [{ op: "remove", ids: ["u1", "u3"] }]);
  });

  it("aadOptscim062020 member removal by value filter, also several or-ed", () => {
    assert.deepEqual(patchGroup([{ op: "remove", path: 'members[value eq "u1"]' }]).memberOps, [
      { op: "remove", ids: ["u1"] },
    ]);
    assert.deepEqual(
      patchGroup([{ op: "remove", path: 'members[value eq "u1" or value eq "u2"]' }]).memberOps,
      [{ op: "remove", ids: ["u1", "u2"] }],
    );
  });

  it("remove members without a value removes all; replace members removes all then adds", () => {
    assert.deepEqual(patchGroup([{ op: "remove", path: "members" }]).memberOps, [{ op: "removeAll" }]);
    assert.deepEqual(patchGroup([{ op: "replace", path: "members", value: [{ value: "u9" }] }]).memberOps, [
      { op: "removeAll" },
      { op: "add", ids: ["u9"] },
    ]);
  });

  it("path-less add/replace with members and displayName (SCIM Validator 'patch group replace attributes')", () => {
    const result = patchGroup([
      { op: "Replace", value: { displayName: "Sales EMEA", members: [{ value: "u1" }] } },
    ]);
    assert.deepEqual(result.document, { displayName: "Sales EMEA" });
    assert.deepEqual(result.memberOps, [{ op: "removeAll" }, { op: "add", ids: ["u1"] }]);
  });

  it("rename the group via Replace displayName", () => {
    assert.deepEqual(patchGroup([{ op: "Replace", path: "displayName", value: "Sales 2" }]).document, {
      displayName: "Sales 2",
    });
  });

  it("keeps the order of mixed member operations, merging neighbours", () => {
    const result = patchGroup([
      { op: "add", path: "members", value: [{ value: "a" }] },
      { op: "add", path: "members", value: [{ value: "b" }] },
      { op: "remove", path: 'members[value eq "a"]' },
    ]);
    assert.deepEqual(result.memberOps, [
      { op: "add", ids: ["a", "b"] },
      { op: "remove", ids: ["a"] },
    ]);
  });

  it("rejects member selections other than value eq, and members without a value", () => {
    assert.throws(
      () => patchGroup([{ op: "remove", path: 'members[display eq "Bob"]' }]),
      scimError(400, "invalidFilter", /value eq/),
    );
    assert.throws(
      () => patchGroup([{ op: "add", path: "members", value: [{ display: "Bob" }] }]),
      scimError(400, "invalidValue", /members\[0\] needs a "value"/),
    );
  });
});
