import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  booleanFromString,
  expandPathKeys,
  lowercaseOpName,
  normalisePatchRequest,
  normaliseResourceBody,
  repairEnterpriseUrn,
} from "../../src/scim/entra-dialect";
import { groupResourceType, userResourceType } from "../../src/scim/schemas/resource-types";
import { scimError } from "./scim-error";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const patch = (operations: unknown[], resourceType = userResourceType) =>
  normalisePatchRequest(
    { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: operations },
    resourceType,
  );

describe("Entra dialect: one function per quirk", () => {
  it("lower-cases the default dialect's capitalised op names", () => {
    assert.equal(lowercaseOpName("Replace", 0), "replace");
    assert.equal(lowercaseOpName("ADD", 0), "add");
    assert.throws(
      () => lowercaseOpName("Move", 3),
      scimError(400, "invalidSyntax", /Operations\[3\]\.op is "Move"/),
    );
  });

  it('reads "True"/"False" strings as booleans', () => {
    assert.equal(booleanFromString("False"), false);
    assert.equal(booleanFromString("TRUE"), true);
    assert.equal(booleanFromString("maybe"), "maybe");
  });

  it("repairs the malformed enterprise URN of older tenants", () => {
    assert.equal(
      repairEnterpriseUrn("urn:ietf:params:scim:schemas:extension:enterprise:2.0User"),
      ENTERPRISE,
    );
    assert.equal(
      repairEnterpriseUrn("urn:ietf:params:scim:schemas:extension:enterprise:2.0User:department"),
      `${ENTERPRISE}:department`,
    );
    assert.equal(repairEnterpriseUrn(ENTERPRISE), ENTERPRISE);
  });

  it("nests dotted and URN-qualified keys of a path-less value", () => {
    assert.deepEqual(
      expandPathKeys(
        {
          displayName: "D",
          "name.givenName": "G",
          "NAME.familyName": "F",
          [`${ENTERPRISE}:employeeNumber`]: "7",
          [`${ENTERPRISE}:manager.value`]: "m",
        },
        userResourceType,
      ),
      {
        displayName: "D",
        name: { givenName: "G", familyName: "F" },
        [ENTERPRISE]: { employeeNumber: "7", manager: { value: "m" } },
      },
    );
  });
});

describe("Entra dialect: PATCH requests become RFC 7644 operations", () => {
  it('disable user, default dialect: Replace active "False" → replace active false', () => {
    assert.deepEqual(patch([{ op: "Replace", path: "active", value: "False" }]), [
      { op: "replace", path: "active", value: false },
    ]);
  });

  it('disable user, field report: Add active "False" → add active false', () => {
    assert.deepEqual(patch([{ op: "Add", path: "active", value: "False" }]), [
      { op: "add", path: "active", value: false },
    ]);
  });

  it("disable user, aadOptscim062020 dialect passes through unchanged", () => {
    assert.deepEqual(patch([{ op: "replace", path: "active", value: false }]), [
      { op: "replace", path: "active", value: false },
    ]);
  });

  it('string booleans inside values: primary "True" in an added email and on a value path', () => {
    assert.deepEqual(
      patch([
        { op: "Add", path: "emails", value: [{ value: "a@b.c", type: "work", primary: "True" }] },
        { op: "Replace", path: 'emails[type eq "work"].primary', value: "false" },
      ]),
      [
        { op: "add", path: "emails", value: [{ value: "a@b.c", type: "work", primary: true }] },
        { op: "replace", path: 'emails[type eq "work"].primary', value: false },
      ],
    );
  });

  it("aadOptscim062020 path-less replace with dotted and URN keys → nested value", () => {
    assert.deepEqual(
      patch([
        {
          op: "replace",
          value: {
            displayName: "Alice",
            "name.givenName": "Alice",
            [`${ENTERPRISE}:employeeNumber`]: "42",
            active: "True",
          },
        },
      ]),
      [
        {
          op: "replace",
          value: {
            displayName: "Alice",
            name: { givenName: "Alice" },
            [ENTERPRISE]: { employeeNumber: "42" },
            active: true,
          },
        },
      ],
    );
  });

  it("legacy member removal becomes one value-filtered remove per listed member", () => {
    assert.deepEqual(
      patch(
        [{ op: "Remove", path: "members", value: [{ value: "u1" }, { value: "u2" }] }],
        groupResourceType,
      ),
      [
        { op: "remove", path: 'members[value eq "u1"]' },
        { op: "remove", path: 'members[value eq "u2"]' },
      ],
    );
  });

  it("aadOptscim062020 member removal passes through", () => {
    assert.deepEqual(patch([{ op: "remove", path: 'members[value eq "u1"]' }], groupResourceType), [
      { op: "remove", path: 'members[value eq "u1"]' },
    ]);
  });

  it("manager as a plain id becomes {value}; {value} stays", () => {
    const path = `${ENTERPRISE}:manager`;
    assert.deepEqual(patch([{ op: "Add", path, value: "m1" }]), [
      { op: "add", path, value: { value: "m1" } },
    ]);
    assert.deepEqual(patch([{ op: "add", path, value: { value: "m1" } }]), [
      { op: "add", path, value: { value: "m1" } },
    ]);
  });

  it("a path with the malformed enterprise URN is repaired", () => {
    assert.deepEqual(
      patch([
        {
          op: "Replace",
          path: "urn:ietf:params:scim:schemas:extension:enterprise:2.0User:department",
          value: "Sales",
        },
      ]),
      [{ op: "replace", path: `${ENTERPRISE}:department`, value: "Sales" }],
    );
  });

  it("explicit nulls: replace with null, and null keys of a path-less value, become removes", () => {
    assert.deepEqual(patch([{ op: "replace", path: "title", value: null }]), [
      { op: "remove", path: "title" },
    ]);
    assert.deepEqual(patch([{ op: "replace", value: { title: null, displayName: "D" } }]), [
      { op: "replace", value: { displayName: "D" } },
      { op: "remove", path: "title" },
    ]);
  });

  it("an empty Operations array is no operations", () => {
    assert.deepEqual(patch([]), []);
  });

  it("rejects bodies that are not PATCH requests with invalidSyntax", () => {
    assert.throws(
      () => normalisePatchRequest([], userResourceType),
      scimError(400, "invalidSyntax", /JSON object/),
    );
    assert.throws(
      () => normalisePatchRequest({ schemas: [] }, userResourceType),
      scimError(400, "invalidSyntax", /Operations array/),
    );
    assert.throws(() => patch([{ op: "replace", value: "x" }]), scimError(400, "invalidValue", /no path/));
    assert.throws(
      () => patch([{ op: "replace", path: 42 }]),
      scimError(400, "invalidPath", /path must be a string/),
    );
    assert.throws(
      () => patch([{ op: "add", path: "title" }]),
      scimError(400, "invalidValue", /\(add\) has no "value"/),
    );
  });
});

describe("Entra dialect: create bodies", () => {
  it("accepts Entra's create-user body: drops meta and schemas, keeps attributes", () => {
    const body = normaliseResourceBody(
      {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
        externalId: "0a21f0f2",
        userName: "Test_User@testuser.com",
        active: true,
        emails: [{ primary: true, type: "work", value: "Test_User_11bb11bb@testuser.com" }],
        meta: { resourceType: "User" },
        name: { formatted: "givenName familyName", familyName: "familyName", givenName: "givenName" },
        roles: [],
      },
      userResourceType,
    );
    assert.equal(body.meta, undefined);
    assert.equal(body.schemas, undefined);
    assert.equal(body.userName, "Test_User@testuser.com");
  });

  it("older tenants: explicit nulls dropped, malformed URN key repaired, string booleans and manager id fixed", () => {
    const body = normaliseResourceBody(
      {
        schemas: [
          "urn:ietf:params:scim:schemas:core:2.0:User",
          "urn:ietf:params:scim:schemas:extension:enterprise:2.0User",
        ],
        userName: "a",
        title: null,
        active: "True",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0User": { manager: "m1", department: "Sales" },
      },
      userResourceType,
    );
    assert.deepEqual(body, {
      userName: "a",
      active: true,
      [ENTERPRISE]: { manager: { value: "m1" }, department: "Sales" },
    });
  });

  it("the malformed URN key is repaired whatever its letter case", () => {
    for (const key of [
      "URN:ietf:params:scim:schemas:extension:enterprise:2.0User",
      "Urn:IETF:params:scim:schemas:extension:enterprise:2.0user",
    ]) {
      const body = normaliseResourceBody(
        { userName: "a", [key]: { employeeNumber: "42" } },
        userResourceType,
      );
      assert.deepEqual(body, { userName: "a", [ENTERPRISE]: { employeeNumber: "42" } }, key);
    }
  });

  it("group create with Microsoft's non-standard schema URI is accepted", () => {
    const body = normaliseResourceBody(
      {
        schemas: [
          "urn:ietf:params:scim:schemas:core:2.0:Group",
          "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group",
        ],
        displayName: "Sales",
      },
      groupResourceType,
    );
    assert.deepEqual(body, { displayName: "Sales" });
  });

  it("rejects a body that is not an object", () => {
    assert.throws(
      () => normaliseResourceBody("x", userResourceType),
      scimError(400, "invalidSyntax", /JSON object holding a User/),
    );
  });
});
