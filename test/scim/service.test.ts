/**
 * ScimProtocol end to end against the real embedded store (openStore on a temporary SQLite file): the
 * requests of ../shared/docs/entra-scim-wire.md in both dialects, plus the RFC 7644 semantics around
 * them. HTTP concerns (content types, auth) are tested in test/http.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { ScimProtocol, type ScimResponse } from "../../src/scim/service";
import type { Store } from "../../src/store/contract";
import { openStore } from "../../src/store/index";
import { scimError } from "./scim-error";

const BASE = "https://scim.example.com/scim/v2";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
// biome-ignore lint/suspicious/noExplicitAny: assertions walk arbitrary SCIM JSON responses
type Json = Record<string, any>;

let directory: string;
let databases = 0;
let store: Store;
let protocol: ScimProtocol;

before(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), "scimkit-protocol-"));
});
after(() => fs.rmSync(directory, { recursive: true, force: true }));
beforeEach(async () => {
  databases += 1;
  store = await openStore(`sqlite:${path.join(directory, `protocol-${databases}.db`)}`);
  protocol = new ScimProtocol(store, { maxResults: 50, defaultCount: 20 });
});

function call(method: string, target: string, body?: unknown, ifMatch?: string): Promise<ScimResponse> {
  const [pathPart, queryPart = ""] = target.split("?");
  return protocol.handle({
    method,
    path: pathPart!,
    query: new URLSearchParams(queryPart),
    ...(body !== undefined ? { body } : {}),
    baseUrl: BASE,
    ...(ifMatch !== undefined ? { ifMatch } : {}),
  });
}

async function ok(method: string, target: string, body?: unknown): Promise<Json> {
  const response = await call(method, target, body);
  assert.ok(response.status < 300, `${method} ${target} → ${response.status}`);
  return response.body as Json;
}

const q = (filter: string) => encodeURIComponent(filter);

/** Entra's create-user body, verbatim from the wire doc. */
const entraUser = (
  userName = "Test_User_00aa00aa@testuser.com",
  externalId = "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
) => ({
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
  externalId,
  userName,
  active: true,
  emails: [{ primary: true, type: "work", value: "Test_User_11bb11bb@testuser.com" }],
  meta: { resourceType: "User" },
  name: { formatted: "givenName familyName", familyName: "familyName", givenName: "givenName" },
  roles: [],
});

const entraGroup = (displayName = "Sales") => ({
  schemas: [
    "urn:ietf:params:scim:schemas:core:2.0:Group",
    "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group",
  ],
  externalId: `ext-${displayName}`,
  displayName,
  meta: { resourceType: "Group" },
});

/** PATCH a user: 204 without a body (no attributes requested), then the resource as GET returns it. */
async function patchUser(id: string, body: unknown): Promise<Json> {
  const response = await call("PATCH", `/Users/${id}`, body);
  assert.equal(response.status, 204);
  assert.equal(response.body, undefined);
  const read = await ok("GET", `/Users/${id}`);
  assert.equal(response.headers?.ETag, read.meta.version);
  return read;
}

const patchOp = (...operations: unknown[]) => ({
  schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
  Operations: operations,
});

describe("Test Connection", () => {
  for (const endpoint of ["/Users?filter=", "/Groups?excludedAttributes=members&filter="]) {
    it(`${endpoint.split("?")[0]}: a random-guid filter answers 200 with an empty ListResponse`, async () => {
      const attribute = endpoint.startsWith("/Users") ? "userName" : "displayName";
      const response = await call(
        "GET",
        `${endpoint}${q(`${attribute} eq "4c8a2f9e-1b7d-4e3a-9f6c-5d2e8b1a7c3f"`)}&aadOptscim062020`,
      );
      assert.equal(response.status, 200);
      assert.deepEqual(response.body, {
        schemas: [LIST],
        totalResults: 0,
        startIndex: 1,
        itemsPerPage: 0,
        Resources: [],
      });
    });
  }
});

describe("Users", () => {
  it("create: 201 with id, schemas, meta, Location and ETag; client meta and empty roles ignored", async () => {
    const response = await call("POST", "/Users", entraUser());
    assert.equal(response.status, 201);
    const user = response.body as Json;
    assert.match(user.id, /.+/);
    assert.deepEqual(user.schemas, ["urn:ietf:params:scim:schemas:core:2.0:User"]);
    assert.equal(user.userName, "Test_User_00aa00aa@testuser.com");
    assert.deepEqual(user.emails, [
      { primary: true, type: "work", value: "Test_User_11bb11bb@testuser.com" },
    ]);
    assert.deepEqual(user.name, {
      formatted: "givenName familyName",
      familyName: "familyName",
      givenName: "givenName",
    });
    assert.equal(user.roles, undefined);
    assert.equal(user.meta.resourceType, "User");
    assert.equal(user.meta.location, `${BASE}/Users/${user.id}`);
    assert.match(user.meta.version, /^W\/"\d+"$/);
    assert.ok(
      !Number.isNaN(Date.parse(user.meta.created)) && !Number.isNaN(Date.parse(user.meta.lastModified)),
    );
    assert.equal(response.headers?.Location, user.meta.location);
    assert.equal(response.headers?.ETag, user.meta.version);
  });

  it("create from an older tenant: nulls, malformed enterprise URN, string booleans, manager id", async () => {
    const user = await ok("POST", "/Users", {
      schemas: [
        "urn:ietf:params:scim:schemas:core:2.0:User",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0User",
      ],
      userName: "old@contoso.com",
      active: "True",
      title: null,
      manager: null,
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0User": {
        employeeNumber: "12",
        department: "R&D",
        manager: "m-1",
      },
    });
    assert.equal(user.active, true);
    assert.equal("title" in user, false);
    assert.deepEqual(user.schemas, ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE]);
    assert.deepEqual(user[ENTERPRISE], {
      employeeNumber: "12",
      department: "R&D",
      manager: { value: "m-1" },
    });
  });

  it("the core schema and enterprise extension round-trip", async () => {
    const attributes = {
      userName: "full@contoso.com",
      externalId: "E-1",
      displayName: "Full User",
      title: "Engineer",
      preferredLanguage: "en-US",
      name: { givenName: "Full", familyName: "User" },
      emails: [{ type: "work", value: "full@contoso.com", primary: true }],
      addresses: [
        { type: "work", streetAddress: "1 Main St", locality: "Oslo", country: "NO", primary: true },
      ],
      phoneNumbers: [{ type: "mobile", value: "+47 555 0100" }],
      roles: [{ value: "admin", primary: true }],
      [ENTERPRISE]: { employeeNumber: "42", department: "R&D", manager: { value: "m-1" } },
    };
    const created = await ok("POST", "/Users", { schemas: [], ...attributes });
    const read = await ok("GET", `/Users/${created.id}`);
    for (const [key, value] of Object.entries(attributes)) assert.deepEqual(read[key], value, key);
  });

  it("create without userName is 400 invalidValue; unknown attributes are ignored, not rejected", async () => {
    await assert.rejects(
      call("POST", "/Users", { displayName: "x" }),
      scimError(400, "invalidValue", /userName is required/),
    );
    const user = await ok("POST", "/Users", {
      userName: "u@x",
      favouriteColour: "blue",
      "urn:example:custom:1.0:User": { a: 1 },
    });
    assert.equal(user.favouriteColour, undefined);
  });

  it("duplicate userName, in another case, is 409 uniqueness", async () => {
    await ok("POST", "/Users", entraUser("alice@contoso.com"));
    await assert.rejects(
      call("POST", "/Users", entraUser("ALICE@contoso.com", "other")),
      scimError(409, "uniqueness"),
    );
  });

  it("get by id; unknown id is 404", async () => {
    const created = await ok("POST", "/Users", entraUser());
    assert.deepEqual(await ok("GET", `/Users/${created.id}`), created);
    await assert.rejects(
      call("GET", "/Users/no-such-id"),
      scimError(404, undefined, /User "no-such-id" not found/),
    );
  });

  it("filters userName case-insensitively and externalId case-exactly", async () => {
    await ok("POST", "/Users", entraUser("Alice@Contoso.com", "Ext-A"));
    const byName = await ok("GET", `/Users?filter=${q('userName eq "alice@CONTOSO.com"')}`);
    assert.equal(byName.totalResults, 1);
    assert.equal(byName.Resources[0].userName, "Alice@Contoso.com");
    assert.equal((await ok("GET", `/Users?filter=${q('externalId eq "Ext-A"')}`)).totalResults, 1);
    assert.equal((await ok("GET", `/Users?filter=${q('externalId eq "ext-a"')}`)).totalResults, 0);
  });

  it("filters on value paths and enterprise attributes", async () => {
    await ok("POST", "/Users", {
      userName: "a",
      emails: [
        { type: "work", value: "a@work" },
        { type: "home", value: "a@home" },
      ],
      [ENTERPRISE]: { employeeNumber: "1" },
    });
    await ok("POST", "/Users", { userName: "b", emails: [{ type: "home", value: "b@work" }] });
    const work = await ok("GET", `/Users?filter=${q('emails[type eq "work" and value ew "@work"]')}`);
    assert.deepEqual(
      work.Resources.map((user: Json) => user.userName),
      ["a"],
    );
    const enterprise = await ok("GET", `/Users?filter=${q(`${ENTERPRISE}:employeeNumber eq "1"`)}`);
    assert.deepEqual(
      enterprise.Resources.map((user: Json) => user.userName),
      ["a"],
    );
  });

  it("a malformed or unknown-attribute filter is 400 invalidFilter", async () => {
    await assert.rejects(
      call("GET", `/Users?filter=${q('userName eq "a" and')}`),
      scimError(400, "invalidFilter"),
    );
    await assert.rejects(
      call("GET", `/Users?filter=${q("shoeSize gt 40")}`),
      scimError(400, "invalidFilter", /shoeSize/),
    );
  });

  for (const [dialect, operation] of [
    ["default", { op: "Replace", path: "active", value: "False" }],
    ["aadOptscim062020", { op: "replace", path: "active", value: false }],
  ] as const) {
    it(`disable user (${dialect}): 204; the user stays visible to GET and filters`, async () => {
      const created = await ok("POST", "/Users", entraUser());
      assert.equal((await patchUser(created.id, patchOp(operation))).active, false);
      const inactive = await ok(
        "GET",
        `/Users?filter=${q(`userName eq "${created.userName}" and active eq false`)}`,
      );
      assert.equal(inactive.totalResults, 1);
    });
  }

  it("PATCH increments the version; an empty Operations array changes nothing", async () => {
    const created = await ok("POST", "/Users", entraUser());
    assert.deepEqual(await patchUser(created.id, patchOp()), created);
    const projected = await call("PATCH", `/Users/${created.id}?attributes=userName`, patchOp());
    assert.equal(projected.status, 200);
    assert.deepEqual(projected.body, {
      schemas: created.schemas,
      id: created.id,
      userName: created.userName,
    });
    const changed = await patchUser(created.id, patchOp({ op: "Add", path: "title", value: "Boss" }));
    assert.notEqual(changed.meta.version, created.meta.version);
    assert.equal(changed.title, "Boss");
  });

  it("PATCH that would empty userName is 400 invalidValue and changes nothing", async () => {
    const created = await ok("POST", "/Users", entraUser());
    await assert.rejects(
      call("PATCH", `/Users/${created.id}`, patchOp({ op: "remove", path: "userName" })),
      scimError(400, "invalidValue"),
    );
    await assert.rejects(
      call("PATCH", `/Users/${created.id}`, patchOp({ op: "replace", path: "userName", value: "" })),
      scimError(400, "invalidValue"),
    );
    assert.deepEqual(await ok("GET", `/Users/${created.id}`), created);
  });

  it("PATCH of an unknown user is 404; If-Match with a stale version is 412", async () => {
    await assert.rejects(
      call("PATCH", "/Users/nope", patchOp({ op: "add", path: "title", value: "x" })),
      scimError(404, undefined),
    );
    const created = await ok("POST", "/Users", entraUser());
    await patchUser(created.id, patchOp({ op: "add", path: "title", value: "x" }));
    await assert.rejects(
      call(
        "PATCH",
        `/Users/${created.id}`,
        patchOp({ op: "add", path: "title", value: "y" }),
        created.meta.version,
      ),
      (error: unknown) => (error as { status?: number }).status === 412,
    );
  });

  it("PUT replaces the resource; id is immutable", async () => {
    const created = await ok("POST", "/Users", entraUser());
    const replaced = await ok("PUT", `/Users/${created.id}`, {
      id: created.id,
      userName: created.userName,
      title: "New",
    });
    assert.equal(replaced.title, "New");
    assert.equal(replaced.emails, undefined);
    assert.equal(replaced.id, created.id);
    await assert.rejects(
      call("PUT", `/Users/${created.id}`, { id: "other", userName: "x" }),
      scimError(400, "mutability"),
    );
  });

  it("DELETE answers 204, then the user is gone (404)", async () => {
    const created = await ok("POST", "/Users", entraUser());
    assert.deepEqual(await call("DELETE", `/Users/${created.id}`), { status: 204 });
    await assert.rejects(call("GET", `/Users/${created.id}`), scimError(404, undefined));
    await assert.rejects(call("DELETE", `/Users/${created.id}`), scimError(404, undefined));
  });

  it("paginates with startIndex and count, capping count at maxResults", async () => {
    for (let index = 1; index <= 5; index++) await ok("POST", "/Users", { userName: `user${index}` });
    const small = new ScimProtocol(store, { maxResults: 3 });
    const capped = await small.handle({
      method: "GET",
      path: "/Users",
      query: new URLSearchParams("count=1000"),
      baseUrl: BASE,
    });
    assert.deepEqual([(capped.body as Json).itemsPerPage, (capped.body as Json).totalResults], [3, 5]);
    const byDefault = await small.handle({
      method: "GET",
      path: "/Users",
      query: new URLSearchParams(),
      baseUrl: BASE,
    });
    assert.equal((byDefault.body as Json).itemsPerPage, 3);
    const page = await ok("GET", "/Users?startIndex=2&count=2");
    assert.equal(page.totalResults, 5);
    assert.equal(page.startIndex, 2);
    assert.equal(page.itemsPerPage, 2);
    // The store's order is stable (creation time, then id), so a page is a slice of the full listing.
    const all = await ok("GET", "/Users?count=50");
    assert.deepEqual(
      page.Resources.map((user: Json) => user.userName),
      all.Resources.slice(1, 3).map((user: Json) => user.userName),
    );
    const defaults = await ok("GET", "/Users?startIndex=0&count=-3");
    assert.equal(defaults.startIndex, 1);
    assert.equal(defaults.itemsPerPage, 0);
    assert.equal(defaults.totalResults, 5);
    await assert.rejects(
      call("GET", "/Users?count=ten"),
      scimError(400, "invalidValue", /count must be an integer/),
    );
  });

  it("attributes with a value filter (Postman collection) is read as the filtered attribute", async () => {
    const created = await ok("POST", "/Users", entraUser());
    const answer = await ok("GET", `/Users/${created.id}?attributes=${q('emails[type eq "work"]')}`);
    assert.deepEqual(answer, { schemas: created.schemas, id: created.id, emails: created.emails });
  });

  it("attributes and excludedAttributes project the answer", async () => {
    const created = await ok("POST", "/Users", entraUser());
    assert.deepEqual(await ok("GET", `/Users/${created.id}?attributes=userName`), {
      schemas: created.schemas,
      id: created.id,
      userName: created.userName,
    });
    const excluded = await ok("GET", `/Users?excludedAttributes=emails,name`);
    assert.equal(excluded.Resources[0].emails, undefined);
    assert.equal(excluded.Resources[0].userName, created.userName);
  });

  it("SCIM Validator user flow: value-path replaces, path-less userName update, manager add/replace/remove", async () => {
    const created = await ok("POST", "/Users", entraUser());
    const patched = await patchUser(
      created.id,
      patchOp(
        { op: "replace", path: 'emails[type eq "work"].value', value: "new@testuser.com" },
        { op: "replace", path: 'phoneNumbers[type eq "work"].value', value: "+1 555 0100" },
        { op: "replace", path: 'addresses[type eq "work"].streetAddress', value: "1 Main St" },
        { op: "replace", value: { userName: "renamed@testuser.com" } },
        { op: "Add", path: `${ENTERPRISE}:manager`, value: "m-1" },
      ),
    );
    assert.equal(patched.emails[0].value, "new@testuser.com");
    assert.deepEqual(patched.phoneNumbers, [{ type: "work", value: "+1 555 0100" }]);
    assert.deepEqual(patched.addresses, [{ type: "work", streetAddress: "1 Main St" }]);
    assert.equal(patched.userName, "renamed@testuser.com");
    assert.deepEqual(patched[ENTERPRISE], { manager: { value: "m-1" } });
    assert.ok(patched.schemas.includes(ENTERPRISE));
    const replaced = await patchUser(
      created.id,
      patchOp({ op: "replace", path: `${ENTERPRISE}:manager`, value: { value: "m-2" } }),
    );
    assert.deepEqual(replaced[ENTERPRISE], { manager: { value: "m-2" } });
    const removed = await patchUser(created.id, patchOp({ op: "Remove", path: `${ENTERPRISE}:manager` }));
    assert.equal(removed[ENTERPRISE], undefined);
    assert.deepEqual(removed.schemas, ["urn:ietf:params:scim:schemas:core:2.0:User"]);
  });

  it("booleans are serialised as JSON booleans", async () => {
    const created = await ok("POST", "/Users", {
      userName: "b",
      active: "False",
      emails: [{ value: "b@x", primary: "True" }],
    });
    assert.equal(created.active, false);
    assert.equal(created.emails[0].primary, true);
  });
});

describe("Groups", () => {
  async function member(userName: string): Promise<string> {
    return (await ok("POST", "/Users", { userName })).id;
  }

  async function memberIds(groupId: string): Promise<string[]> {
    const group = await ok("GET", `/Groups/${groupId}`);
    return (group.members as Json[]).map((entry) => entry.value).sort();
  }

  it("create with Microsoft's extra schema URI: 201 with members []", async () => {
    const response = await call("POST", "/Groups", entraGroup());
    assert.equal(response.status, 201);
    const group = response.body as Json;
    assert.deepEqual(group.schemas, ["urn:ietf:params:scim:schemas:core:2.0:Group"]);
    assert.deepEqual(group.members, []);
    assert.equal(group.displayName, "Sales");
    assert.equal(group.meta.location, `${BASE}/Groups/${group.id}`);
  });

  it("create with members renders them with display, type and $ref", async () => {
    const alice = await member("alice");
    const group = await ok("POST", "/Groups", { displayName: "Team", members: [{ value: alice }] });
    assert.deepEqual(group.members, [
      { value: alice, display: "alice", type: "User", $ref: `${BASE}/Users/${alice}` },
    ]);
  });

  it("create with an unknown member id is 400 invalidValue and stores nothing", async () => {
    await assert.rejects(
      call("POST", "/Groups", { displayName: "Ghosts", members: [{ value: "no-such-user" }] }),
      scimError(400, "invalidValue"),
    );
    assert.equal((await ok("GET", `/Groups?filter=${q('displayName eq "Ghosts"')}`)).totalResults, 0);
  });

  it("duplicate displayName, in another case, is 409 uniqueness", async () => {
    await ok("POST", "/Groups", entraGroup("Sales"));
    await assert.rejects(call("POST", "/Groups", entraGroup("SALES")), scimError(409, "uniqueness"));
  });

  it("add members (both dialects) answers 204; members are readable afterwards", async () => {
    const [alice, bob] = [await member("alice"), await member("bob")];
    const group = await ok("POST", "/Groups", entraGroup());
    const added = await call(
      "PATCH",
      `/Groups/${group.id}`,
      patchOp({ op: "Add", path: "members", value: [{ $ref: null, value: alice }] }),
    );
    assert.equal(added.status, 204);
    assert.equal(added.body, undefined);
    await call(
      "PATCH",
      `/Groups/${group.id}`,
      patchOp({ op: "add", path: "members", value: [{ value: bob }] }),
    );
    assert.deepEqual(await memberIds(group.id), [alice, bob].sort());
  });

  it("legacy member removal (default dialect) removes only the listed member", async () => {
    const [alice, bob, carol] = [await member("alice"), await member("bob"), await member("carol")];
    const group = await ok("POST", "/Groups", {
      displayName: "Team",
      members: [{ value: alice }, { value: bob }, { value: carol }],
    });
    const response = await call(
      "PATCH",
      `/Groups/${group.id}`,
      patchOp({ op: "Remove", path: "members", value: [{ value: bob }] }),
    );
    assert.equal(response.status, 204);
    assert.deepEqual(await memberIds(group.id), [alice, carol].sort());
  });

  it("aadOptscim062020 member removal by value filter removes only that member", async () => {
    const [alice, bob] = [await member("alice"), await member("bob")];
    const group = await ok("POST", "/Groups", {
      displayName: "Team",
      members: [{ value: alice }, { value: bob }],
    });
    await call(
      "PATCH",
      `/Groups/${group.id}`,
      patchOp({ op: "remove", path: `members[value eq "${alice}"]` }),
    );
    assert.deepEqual(await memberIds(group.id), [bob]);
  });

  it("filters users by group membership and groups by member", async () => {
    const [alice] = [await member("alice"), await member("bob")];
    const group = await ok("POST", "/Groups", { displayName: "Team", members: [{ value: alice }] });
    const users = await ok("GET", `/Users?filter=${q(`groups[value eq "${group.id}"]`)}`);
    assert.deepEqual(
      users.Resources.map((user: Json) => user.userName),
      ["alice"],
    );
    const groups = await ok(
      "GET",
      `/Groups?excludedAttributes=members&filter=${q(`members[value eq "${alice}"]`)}`,
    );
    assert.deepEqual(
      groups.Resources.map((found: Json) => found.displayName),
      ["Team"],
    );
  });

  it("re-adding a member and removing a non-member are harmless (Entra retries after escrow)", async () => {
    const [alice, bob] = [await member("alice"), await member("bob")];
    const group = await ok("POST", "/Groups", { displayName: "Team", members: [{ value: alice }] });
    const again = await call(
      "PATCH",
      `/Groups/${group.id}`,
      patchOp({ op: "Add", path: "members", value: [{ value: alice }] }),
    );
    assert.equal(again.status, 204);
    const absent = await call(
      "PATCH",
      `/Groups/${group.id}`,
      patchOp({ op: "Remove", path: "members", value: [{ value: bob }] }),
    );
    assert.equal(absent.status, 204);
    assert.deepEqual(await memberIds(group.id), [alice]);
  });

  it("adding an unknown member is 400 invalidValue and changes nothing", async () => {
    const alice = await member("alice");
    const group = await ok("POST", "/Groups", { displayName: "Team", members: [{ value: alice }] });
    await assert.rejects(
      call(
        "PATCH",
        `/Groups/${group.id}`,
        patchOp(
          { op: "replace", path: "displayName", value: "Renamed" },
          { op: "add", path: "members", value: [{ value: "ghost" }] },
        ),
      ),
      scimError(400, "invalidValue"),
    );
    const after = await ok("GET", `/Groups/${group.id}`);
    assert.equal(after.displayName, "Team");
    assert.deepEqual(await memberIds(group.id), [alice]);
  });

  it("rename via Replace displayName (204) and path-less replace; PATCH with attributes answers 200", async () => {
    const group = await ok("POST", "/Groups", entraGroup());
    assert.equal(
      (
        await call(
          "PATCH",
          `/Groups/${group.id}`,
          patchOp({ op: "Replace", path: "displayName", value: "Sales EMEA" }),
        )
      ).status,
      204,
    );
    await call(
      "PATCH",
      `/Groups/${group.id}`,
      patchOp({ op: "replace", value: { displayName: "Sales APAC", externalId: "x" } }),
    );
    const response = await call("PATCH", `/Groups/${group.id}?attributes=displayName`, patchOp());
    assert.equal(response.status, 200);
    assert.deepEqual(response.body, { schemas: group.schemas, id: group.id, displayName: "Sales APAC" });
  });

  it("excludedAttributes=members leaves members out of GET and filtered lists; case-insensitive displayName filter", async () => {
    const alice = await member("alice");
    const group = await ok("POST", "/Groups", { displayName: "Sales", members: [{ value: alice }] });
    const single = await ok("GET", `/Groups/${group.id}?excludedAttributes=members`);
    assert.equal("members" in single, false);
    const list = await ok("GET", `/Groups?excludedAttributes=members&filter=${q('displayName eq "sales"')}`);
    assert.equal(list.totalResults, 1);
    assert.equal("members" in list.Resources[0], false);
  });

  it("never asks the store for members when they are excluded, or when a PATCH answers 204", async () => {
    const asked: boolean[] = [];
    const recording = new Proxy(store, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          const options = args.find(
            (arg): arg is { includeMembers: boolean } =>
              typeof arg === "object" && arg !== null && "includeMembers" in arg,
          );
          if (options) asked.push(options.includeMembers);
          return value.apply(target, args);
        };
      },
    });
    const recorded = new ScimProtocol(recording);
    const request = (method: string, target: string, body?: unknown) => {
      const [pathPart, queryPart = ""] = target.split("?");
      return recorded.handle({
        method,
        path: pathPart!,
        query: new URLSearchParams(queryPart),
        body,
        baseUrl: BASE,
      });
    };
    const alice = await member("alice");
    const group = await ok("POST", "/Groups", { displayName: "Sales", members: [{ value: alice }] });
    await request("GET", `/Groups/${group.id}?excludedAttributes=members`);
    await request("GET", `/Groups?excludedAttributes=members&filter=${q('displayName eq "Sales"')}`);
    await request("GET", `/Groups/${group.id}?attributes=displayName`);
    await request(
      "PATCH",
      `/Groups/${group.id}`,
      patchOp({ op: "Add", path: "members", value: [{ value: alice }] }),
    );
    await request(
      "PATCH",
      `/Groups/${group.id}`,
      patchOp({ op: "Replace", path: "displayName", value: "Sales 2" }),
    );
    assert.deepEqual(asked, [false, false, false, false, false]);
    await request("GET", `/Groups/${group.id}`);
    assert.equal(asked.at(-1), true);
  });

  it("PUT replaces members; DELETE answers 204", async () => {
    const [alice, bob] = [await member("alice"), await member("bob")];
    const group = await ok("POST", "/Groups", { displayName: "Team", members: [{ value: alice }] });
    const replaced = await ok("PUT", `/Groups/${group.id}`, {
      displayName: "Team",
      members: [{ value: bob }],
    });
    assert.deepEqual(
      replaced.members.map((entry: Json) => entry.value),
      [bob],
    );
    assert.equal((await call("DELETE", `/Groups/${group.id}`)).status, 204);
    await assert.rejects(call("GET", `/Groups/${group.id}`), scimError(404, undefined));
  });
});

describe("Discovery and routing", () => {
  it("ServiceProviderConfig advertises patch, filter with maxResults, etag, bearer tokens; no bulk, sort or changePassword", async () => {
    const config = await ok("GET", "/ServiceProviderConfig");
    assert.deepEqual(config.patch, { supported: true });
    assert.deepEqual(config.filter, { supported: true, maxResults: 50 });
    assert.equal(config.bulk.supported, false);
    assert.equal(config.sort.supported, false);
    assert.equal(config.changePassword.supported, false);
    assert.equal(config.etag.supported, true);
    assert.equal(config.authenticationSchemes[0].type, "oauthbearertoken");
  });

  it("Schemas lists User, EnterpriseUser and Group; Schemas/{id} returns one", async () => {
    const schemas = await ok("GET", "/Schemas");
    assert.deepEqual(schemas.schemas, [LIST]);
    assert.deepEqual(schemas.Resources.map((schema: Json) => schema.id).sort(), [
      "urn:ietf:params:scim:schemas:core:2.0:Group",
      "urn:ietf:params:scim:schemas:core:2.0:User",
      ENTERPRISE,
    ]);
    const user = await ok("GET", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User");
    const userName = user.attributes.find((attribute: Json) => attribute.name === "userName");
    assert.deepEqual(
      {
        required: userName.required,
        caseExact: userName.caseExact,
        uniqueness: userName.uniqueness,
        type: userName.type,
      },
      { required: true, caseExact: false, uniqueness: "server", type: "string" },
    );
    await assert.rejects(call("GET", "/Schemas/urn:nope"), scimError(404, undefined));
  });

  it("ResourceTypes lists User (with the enterprise extension) and Group", async () => {
    const types = await ok("GET", "/ResourceTypes");
    assert.equal(types.totalResults, 2);
    const user = await ok("GET", "/ResourceTypes/User");
    assert.equal(user.endpoint, "/Users");
    assert.deepEqual(user.schemaExtensions, [{ schema: ENTERPRISE, required: false }]);
  });

  it("endpoint names are matched case-insensitively; unknown paths are 404, wrong methods 405", async () => {
    assert.equal((await call("GET", "/users")).status, 200);
    await assert.rejects(call("GET", "/Things"), scimError(404, undefined));
    await assert.rejects(call("DELETE", "/Users"), scimError(405, undefined));
    await assert.rejects(call("POST", "/Schemas"), scimError(405, undefined));
    await assert.rejects(
      call("POST", "/Bulk", {}),
      scimError(404, undefined, /bulk operations are not supported/),
    );
  });

  it("POST /.search runs the query from the body (RFC 7644 §3.4.3)", async () => {
    await ok("POST", "/Users", { userName: "searchable" });
    const result = await ok("POST", "/Users/.search", {
      filter: 'userName eq "SEARCHABLE"',
      attributes: ["userName"],
    });
    assert.equal(result.totalResults, 1);
    assert.equal(result.Resources[0].emails, undefined);
  });
});
