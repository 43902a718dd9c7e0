import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { applyProjection, keepsAttribute, parseProjection } from "../../../src/scim/resource/projection";
import { groupResourceType, userResourceType } from "../../../src/scim/schemas/resource-types";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const user = {
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
  id: "u1",
  userName: "alice",
  name: { givenName: "Alice", familyName: "Smith" },
  emails: [
    { type: "work", value: "a@x" },
    { type: "home", value: "h@x" },
  ],
  [ENTERPRISE]: { department: "R&D", employeeNumber: "7" },
  meta: { resourceType: "User" },
};
const project = (query: string) =>
  applyProjection(user, parseProjection(new URLSearchParams(query), userResourceType));

describe("attributes / excludedAttributes (RFC 7644 §3.4.2.5)", () => {
  it("attributes returns only the named attributes, plus id and schemas", () => {
    assert.deepEqual(project("attributes=userName"), { schemas: user.schemas, id: "u1", userName: "alice" });
  });

  it("attributes accepts sub-attributes, extension attributes and any case", () => {
    assert.deepEqual(project(`attributes=NAME.givenName,emails.value,${ENTERPRISE}:department`), {
      schemas: user.schemas,
      id: "u1",
      name: { givenName: "Alice" },
      emails: [{ value: "a@x" }, { value: "h@x" }],
      [ENTERPRISE]: { department: "R&D" },
    });
  });

  it("attributes naming an extension URN returns the whole extension", () => {
    assert.deepEqual(project(`attributes=${ENTERPRISE}`)[ENTERPRISE], user[ENTERPRISE]);
  });

  it("excludedAttributes removes attributes and sub-attributes but never id", () => {
    const result = project(`excludedAttributes=emails,name.familyName,id,${ENTERPRISE}:employeeNumber`);
    assert.equal(result.emails, undefined);
    assert.deepEqual(result.name, { givenName: "Alice" });
    assert.equal(result.id, "u1");
    assert.deepEqual(result[ENTERPRISE], { department: "R&D" });
    assert.equal(result.userName, "alice");
  });

  it("ignores unknown names instead of failing", () => {
    assert.deepEqual(project("attributes=userName,nope"), {
      schemas: user.schemas,
      id: "u1",
      userName: "alice",
    });
    assert.deepEqual(project("excludedAttributes=nope"), user);
  });

  it("does not modify the resource it projects", () => {
    const before = structuredClone(user);
    project(`excludedAttributes=${ENTERPRISE}:department`);
    assert.deepEqual(user, before);
  });

  it("tells whether group members are wanted (excludedAttributes=members must not read them)", () => {
    const keeps = (query: string) =>
      keepsAttribute(parseProjection(new URLSearchParams(query), groupResourceType), "members");
    assert.equal(keeps(""), true);
    assert.equal(keeps("excludedAttributes=members"), false);
    assert.equal(keeps("excludedAttributes=MEMBERS"), false);
    assert.equal(keeps("attributes=displayName"), false);
    assert.equal(keeps("attributes=displayName,members"), true);
    assert.equal(keeps("excludedAttributes=members.display"), true);
  });
});
