/**
 * ScimProtocol /Users end to end against the real embedded store: Entra's user requests in both
 * dialects (../shared/docs/entra-scim-wire.md) and the RFC 7644 semantics around them.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ScimProtocol } from "../../../src/scim/service";
import { scimError } from "../scim-error";
import {
  BASE,
  call,
  currentStore,
  ENTERPRISE,
  entraUser,
  type Json,
  ok,
  patchOp,
  patchUser,
  q,
  useFreshProtocol,
} from "./harness";

useFreshProtocol();

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

  it("userName and externalId longer than 1024 bytes are 400 invalidValue on create, PUT and PATCH", async () => {
    const long = "é".repeat(513);
    await assert.rejects(
      call("POST", "/Users", { userName: long }),
      scimError(400, "invalidValue", /userName is 1026 bytes long; the limit is 1024/),
    );
    await assert.rejects(
      call("POST", "/Users", { userName: "u", externalId: long }),
      scimError(400, "invalidValue", /externalId is 1026 bytes/),
    );
    const created = await ok("POST", "/Users", { userName: "a".repeat(1024), externalId: "b".repeat(1024) });
    await assert.rejects(
      call("PUT", `/Users/${created.id}`, { userName: long }),
      scimError(400, "invalidValue"),
    );
    await assert.rejects(
      call("PATCH", `/Users/${created.id}`, patchOp({ op: "replace", path: "externalId", value: long })),
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

  it("If-Match with the current version, or *, lets PATCH and PUT through (RFC 7644 §3.14)", async () => {
    const created = await ok("POST", "/Users", entraUser());
    const patched = await call(
      "PATCH",
      `/Users/${created.id}`,
      patchOp({ op: "add", path: "title", value: "x" }),
      created.meta.version,
    );
    assert.equal(patched.status, 204);
    const current = await ok("GET", `/Users/${created.id}`);
    assert.equal(patched.headers?.ETag, current.meta.version);
    const put = await call(
      "PUT",
      `/Users/${created.id}`,
      { userName: created.userName },
      current.meta.version,
    );
    assert.equal(put.status, 200);
    const any = await call(
      "PATCH",
      `/Users/${created.id}`,
      patchOp({ op: "add", path: "title", value: "y" }),
      "*",
    );
    assert.equal(any.status, 204);
    await assert.rejects(
      call(
        "PATCH",
        `/Users/${created.id}`,
        patchOp({ op: "add", path: "title", value: "z" }),
        '"not-a-version"',
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
    const small = new ScimProtocol(currentStore(), { maxResults: 3 });
    const capped = await call("GET", "/Users?count=1000", undefined, undefined, small);
    assert.deepEqual([(capped.body as Json).itemsPerPage, (capped.body as Json).totalResults], [3, 5]);
    const byDefault = await call("GET", "/Users", undefined, undefined, small);
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
