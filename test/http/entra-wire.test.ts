/**
 * Every request/response of ../shared/docs/entra-scim-wire.md over HTTP, in both of Entra's dialects:
 * the default (non-compliant) one and the `aadOptscim062020` one, whose flag reaches the server in the
 * query string. Request bodies are the fixtures beside this file, exactly as Entra sends them; requests
 * carry no User-Agent, like Entra's.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { HTTP_TEST_ENGINES } from "./support/engines";
import { fixture } from "./support/fixtures";
import {
  DIALECTS,
  filterQuery,
  type ScimAnswer,
  type ScimTestServer,
  startScimTestServer,
} from "./support/scim-test-server";

const LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

function assertScimContentType(answer: ScimAnswer) {
  assert.match(String(answer.headers["content-type"]), /^application\/scim\+json/, answer.text);
}

function assertEmptyListResponse(answer: ScimAnswer) {
  assert.equal(answer.status, 200, answer.text);
  assertScimContentType(answer);
  assert.deepEqual(answer.body.schemas, [LIST_RESPONSE]);
  assert.equal(answer.body.totalResults, 0);
  assert.deepEqual(answer.body.Resources, []);
  assert.equal(answer.body.startIndex, 1);
  assert.equal(typeof answer.body.itemsPerPage, "number");
}

function assertScimError(answer: ScimAnswer, status: number, scimType?: string) {
  assert.equal(answer.status, status, answer.text);
  assertScimContentType(answer);
  assert.deepEqual(answer.body.schemas, [ERROR]);
  assert.equal(answer.body.status, String(status));
  if (scimType) assert.equal(answer.body.scimType, scimType);
  assert.equal(typeof answer.body.detail, "string");
}

function assertPatchAccepted(answer: ScimAnswer) {
  assert.ok(
    answer.status === 200 || answer.status === 204,
    `PATCH answered ${answer.status}: ${answer.text}`,
  );
  if (answer.status === 200) assertScimContentType(answer);
}

for (const engine of HTTP_TEST_ENGINES) {
  for (const dialect of DIALECTS) {
    describe(`Entra wire protocol, ${dialect} dialect, ${engine.label}`, { skip: engine.skip }, () => {
      let server: ScimTestServer;
      const call = (method: string, path: string, body?: unknown) =>
        server.call(method, path, body, { dialect });
      const patch = (name: string) => `${name}.${dialect}`;
      const suffix = dialect === "default" ? "d" : "c";

      before(async () => {
        server = await startScimTestServer({ databaseUrl: await engine.databaseUrl(`http_wire_${suffix}`) });
      });
      after(() => server.close());

      async function createUser(userName: string, extra: Record<string, unknown> = {}) {
        const answer = await call("POST", "/Users", {
          schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
          userName,
          active: true,
          ...extra,
        });
        assert.equal(answer.status, 201, answer.text);
        return answer.body.id as string;
      }

      async function createGroup(displayName: string) {
        const answer = await call("POST", "/Groups", {
          schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
          displayName,
        });
        assert.equal(answer.status, 201, answer.text);
        return answer.body.id as string;
      }

      async function memberIds(groupId: string): Promise<string[]> {
        const answer = await call("GET", `/Groups/${groupId}`);
        assert.equal(answer.status, 200, answer.text);
        return ((answer.body.members ?? []) as Array<{ value: string }>).map((member) => member.value).sort();
      }

      test("Test Connection on /Users: a filter on a random userName answers 200 with an empty ListResponse", async () => {
        assertEmptyListResponse(await call("GET", `/Users?${filterQuery(`userName eq "${randomUUID()}"`)}`));
      });

      test("Test Connection on /Groups: a filter on a random displayName answers 200 with an empty ListResponse", async () => {
        assertEmptyListResponse(
          await call("GET", `/Groups?${filterQuery(`displayName eq "${randomUUID()}"`)}`),
        );
      });

      test("create user with Entra's exact body → 201 with id and meta, client meta ignored", async () => {
        const answer = await call("POST", "/Users", fixture("create-user"));
        assert.equal(answer.status, 201, answer.text);
        assertScimContentType(answer);
        const user = answer.body;
        assert.equal(typeof user.id, "string");
        assert.equal(user.userName, "Test_User_00aa00aa@testuser.com");
        assert.equal(user.externalId, "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef");
        assert.equal(user.active, true);
        assert.equal(user.name.givenName, "givenName");
        assert.equal(user.emails[0].value, "Test_User_11bb11bb@testuser.com");
        assert.equal(user.meta.resourceType, "User");
        assert.ok(Date.parse(user.meta.created) > 0 && Date.parse(user.meta.lastModified) > 0);
        assert.match(user.meta.location, new RegExp(`/scim/v2/Users/${user.id}$`));
        assert.equal(typeof user.meta.version, "string");
      });

      test("create user as older tenants send it (nulls, malformed enterprise URN) → 201", async () => {
        const answer = await call("POST", "/Users", fixture("create-user-older-tenant"));
        assert.equal(answer.status, 201, answer.text);
        assert.equal(answer.body.userName, "Legacy_User_22cc22cc@testuser.com");
        assert.equal(answer.body.title, undefined, "a null attribute is not stored as a value");
      });

      test("read user by id → 200; matching by userName is case-insensitive, by externalId exact", async () => {
        const found = await call(
          "GET",
          `/Users?${filterQuery('userName eq "TEST_USER_00AA00AA@TESTUSER.COM"')}`,
        );
        assert.equal(found.status, 200, found.text);
        assert.equal(found.body.totalResults, 1);
        const id = found.body.Resources[0].id;
        const read = await call("GET", `/Users/${id}`);
        assert.equal(read.status, 200);
        assertScimContentType(read);
        assert.equal(read.body.id, id);
        const byExternalId = await call(
          "GET",
          `/Users?${filterQuery('externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"')}`,
        );
        assert.equal(byExternalId.body.totalResults, 1);
      });

      test("creating a userName that differs only in case → 409 uniqueness", async () => {
        const body = fixture("create-user") as Record<string, unknown>;
        assertScimError(
          await call("POST", "/Users", { ...body, userName: "test_user_00AA00AA@TestUser.com" }),
          409,
          "uniqueness",
        );
      });

      test("disable user → 200/204, and the inactive user is still returned by GET and filters", async () => {
        const userName = `disable-${suffix}@contoso.com`;
        const id = await createUser(userName);
        assertPatchAccepted(await call("PATCH", `/Users/${id}`, fixture(patch("patch-disable-user"))));
        const read = await call("GET", `/Users/${id}`);
        assert.equal(read.body.active, false);
        const filtered = await call("GET", `/Users?${filterQuery(`userName eq "${userName}"`)}`);
        assert.equal(filtered.body.totalResults, 1);
        assert.equal(filtered.body.Resources[0].active, false);
      });

      if (dialect === "default") {
        test('disable user with op "Add" and the string "False" (seen in the field) → active false', async () => {
          const id = await createUser("disable-add@contoso.com");
          assertPatchAccepted(await call("PATCH", `/Users/${id}`, fixture("patch-disable-user-add.default")));
          assert.equal((await call("GET", `/Users/${id}`)).body.active, false);
        });
      }

      test("PATCH several attributes in one request (value paths, dotted and URN paths)", async () => {
        const id = await createUser(`multi-${suffix}@contoso.com`, {
          name: { givenName: "Old", familyName: "Name" },
          emails: [{ type: "work", value: "old@contoso.com", primary: true }],
        });
        const values = {
          email: `new-${suffix}@contoso.com`,
          givenName: "Ada",
          familyName: "Lovelace",
          externalId: `ext-${suffix}-1815`,
          employeeNumber: "1815",
        };
        assertPatchAccepted(
          await call("PATCH", `/Users/${id}`, fixture(patch("patch-user-attributes"), values)),
        );
        const user = (await call("GET", `/Users/${id}`)).body;
        assert.equal(
          user.emails.find((email: { type: string }) => email.type === "work").value,
          values.email,
        );
        assert.equal(user.name.givenName, "Ada");
        assert.equal(user.name.familyName, "Lovelace");
        assert.equal(user.externalId, values.externalId);
        assert.equal(user[ENTERPRISE].employeeNumber, "1815");
      });

      test("PATCH on absent attributes: remove of absent succeeds, replace of a missing value path adds it", async () => {
        const id = await createUser(`absent-${suffix}@contoso.com`);
        const email = `absent-${suffix}-work@contoso.com`;
        assertPatchAccepted(
          await call("PATCH", `/Users/${id}`, fixture(patch("patch-remove-absent"), { email })),
        );
        const user = (await call("GET", `/Users/${id}`)).body;
        assert.equal(user.emails.find((entry: { type: string }) => entry.type === "work")?.value, email);
        assert.equal(
          user.phoneNumbers.find((entry: { type: string }) => entry.type === "mobile")?.value,
          "+1 555 0100",
        );
      });

      test("set the manager through the enterprise extension path", async () => {
        const managerId = await createUser(`manager-${suffix}@contoso.com`);
        const id = await createUser(`report-${suffix}@contoso.com`);
        assertPatchAccepted(
          await call("PATCH", `/Users/${id}`, fixture(patch("patch-manager"), { manager: managerId })),
        );
        assert.equal((await call("GET", `/Users/${id}`)).body[ENTERPRISE].manager.value, managerId);
      });

      test("attribute names and op values are case-insensitive, booleans may be strings", async () => {
        const created = await call("POST", "/Users", {
          schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
          UserName: `case-${suffix}@contoso.com`,
          Active: "True",
          Emails: [{ Type: "work", Value: `case-${suffix}@contoso.com`, Primary: "true" }],
        });
        assert.equal(created.status, 201, created.text);
        assert.equal(created.body.userName, `case-${suffix}@contoso.com`);
        assert.equal(created.body.active, true);
        const op = dialect === "default" ? "REPLACE" : "replace";
        const answer = await call("PATCH", `/Users/${created.body.id}`, {
          schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
          Operations: [
            { op, path: "DisplayName", value: "Shouty" },
            { op, path: 'EMAILS[TYPE eq "work"].VALUE', value: `new-case-${suffix}@contoso.com` },
          ],
        });
        assertPatchAccepted(answer);
        const user = (await call("GET", `/Users/${created.body.id}`)).body;
        assert.equal(user.displayName, "Shouty");
        assert.equal(user.emails[0].value, `new-case-${suffix}@contoso.com`);
        assert.equal(user.emails[0].primary, true);
      });

      test("PATCH with an empty Operations array → 200/204 and nothing changes", async () => {
        const id = await createUser(`empty-${suffix}@contoso.com`, { displayName: "Unchanged" });
        const before = (await call("GET", `/Users/${id}`)).body;
        assertPatchAccepted(await call("PATCH", `/Users/${id}`, fixture("patch-empty-operations")));
        const afterPatch = (await call("GET", `/Users/${id}`)).body;
        assert.equal(afterPatch.displayName, "Unchanged");
        assert.equal(afterPatch.userName, before.userName);
      });

      test("create group with the extra ADSCIM schema URI → 201 with members []", async () => {
        const body = fixture("create-group") as Record<string, unknown>;
        const answer = await call("POST", "/Groups", { ...body, displayName: `Sales ${suffix}` });
        assert.equal(answer.status, 201, answer.text);
        assertScimContentType(answer);
        assert.deepEqual(answer.body.members ?? [], []);
        assert.equal(answer.body.meta.resourceType, "Group");
      });

      test("creating a group whose displayName is taken → 409 uniqueness", async () => {
        const body = fixture("create-group") as Record<string, unknown>;
        assertScimError(
          await call("POST", "/Groups", { ...body, displayName: `Sales ${suffix}` }),
          409,
          "uniqueness",
        );
      });

      test("match a group with excludedAttributes=members → ListResponse without a members key", async () => {
        const groupId = await createGroup(`Matched ${suffix}`);
        const userId = await createUser(`matched-member-${suffix}@contoso.com`);
        await call(
          "PATCH",
          `/Groups/${groupId}`,
          fixture(patch("patch-add-members"), { first: userId, second: userId }),
        );
        const answer = await call(
          "GET",
          `/Groups?excludedAttributes=members&${filterQuery(`displayName eq "Matched ${suffix}"`)}`,
        );
        assert.equal(answer.status, 200, answer.text);
        assert.equal(answer.body.totalResults, 1);
        assert.equal("members" in answer.body.Resources[0], false);
        const read = await call("GET", `/Groups/${groupId}?excludedAttributes=members`);
        assert.equal(read.status, 200);
        assert.equal(read.body.id, groupId);
        assert.equal("members" in read.body, false);
      });

      test("add members → 204, both members present", async () => {
        const groupId = await createGroup(`Adds ${suffix}`);
        const first = await createUser(`add-1-${suffix}@contoso.com`);
        const second = await createUser(`add-2-${suffix}@contoso.com`);
        const answer = await call(
          "PATCH",
          `/Groups/${groupId}`,
          fixture(patch("patch-add-members"), { first, second }),
        );
        assert.equal(answer.status, 204, answer.text);
        assert.deepEqual(await memberIds(groupId), [first, second].sort());
      });

      test("remove one member → 204 and only that member is removed, the others stay", async () => {
        const groupId = await createGroup(`Removes ${suffix}`);
        const first = await createUser(`remove-1-${suffix}@contoso.com`);
        const second = await createUser(`remove-2-${suffix}@contoso.com`);
        await call("PATCH", `/Groups/${groupId}`, fixture(patch("patch-add-members"), { first, second }));
        const answer = await call(
          "PATCH",
          `/Groups/${groupId}`,
          fixture(patch("patch-remove-member"), { member: first }),
        );
        assert.equal(answer.status, 204, answer.text);
        assert.deepEqual(await memberIds(groupId), [second]);
      });

      test("rename a group → 204, new displayName stored", async () => {
        const groupId = await createGroup(`Before ${suffix}`);
        const answer = await call(
          "PATCH",
          `/Groups/${groupId}`,
          fixture(patch("patch-rename-group"), { displayName: `After ${suffix}` }),
        );
        assert.equal(answer.status, 204, answer.text);
        const read = await call("GET", `/Groups/${groupId}`);
        assert.equal(read.body.displayName, `After ${suffix}`);
      });

      test("delete user and group → 204; afterwards GET is a 404 SCIM error", async () => {
        const userId = await createUser(`delete-${suffix}@contoso.com`);
        const groupId = await createGroup(`Delete ${suffix}`);
        const deletedUser = await call("DELETE", `/Users/${userId}`);
        assert.equal(deletedUser.status, 204);
        assert.equal(deletedUser.text, "");
        assert.equal((await call("DELETE", `/Groups/${groupId}`)).status, 204);
        assertScimError(await call("GET", `/Users/${userId}`), 404);
        assertScimError(await call("GET", `/Groups/${groupId}`), 404);
      });

      test("unknown id → 404 with an RFC 7644 §3.12 body, status as a string", async () => {
        assertScimError(await call("GET", `/Users/${randomUUID()}`), 404);
        assertScimError(
          await call(
            "PATCH",
            `/Groups/${randomUUID()}`,
            fixture(patch("patch-rename-group"), { displayName: "x" }),
          ),
          404,
        );
      });

      test("schema discovery: GET /Schemas → ListResponse of schema resources", async () => {
        const answer = await call("GET", "/Schemas");
        assert.equal(answer.status, 200, answer.text);
        assert.deepEqual(answer.body.schemas, [LIST_RESPONSE]);
        const ids = (answer.body.Resources as Array<{ id: string }>).map((schema) => schema.id);
        assert.ok(ids.includes("urn:ietf:params:scim:schemas:core:2.0:User"));
        assert.ok(ids.includes("urn:ietf:params:scim:schemas:core:2.0:Group"));
        assert.ok(ids.includes(ENTERPRISE));
      });
    });
  }
}

describe("Entra wire protocol, transport details", () => {
  let server: ScimTestServer;
  before(async () => {
    server = await startScimTestServer({ basePath: "/api/v3/scim2" });
  });
  after(() => server.close());

  test("requests without a User-Agent are served (Entra sends none)", async () => {
    const answer = await server.call("GET", "/Users", undefined, { headers: {} });
    assert.equal(answer.status, 200, answer.text);
  });

  test("bodies sent as application/json are accepted too, answers are application/scim+json", async () => {
    const answer = await server.call("POST", "/Users", undefined, {
      rawBody: JSON.stringify({
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
        userName: "json@contoso.com",
      }),
      headers: { "content-type": "application/json" },
    });
    assert.equal(answer.status, 201, answer.text);
    assertScimContentType(answer);
  });

  test("a body that is not JSON → 400 invalidSyntax SCIM error", async () => {
    assertScimError(
      await server.call("POST", "/Users", undefined, { rawBody: '{"userName":' }),
      400,
      "invalidSyntax",
    );
  });

  test("a custom base path (Cleanmail-style /api/v3/scim2) serves the same API with locations under it", async () => {
    const answer = await server.call("POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: "cleanmail@contoso.com",
    });
    assert.equal(answer.status, 201, answer.text);
    assert.match(answer.body.meta.location, /\/api\/v3\/scim2\/Users\//);
  });

  test("POST /Users/.search runs a filter sent in the body (RFC 7644 §3.4.3)", async () => {
    const answer = await server.call("POST", "/Users/.search", {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
      filter: 'userName eq "nobody@contoso.com" or userName eq "CLEANMAIL@contoso.com"',
    });
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.totalResults, 1);
  });

  test("a method the endpoint does not allow → 405 SCIM error with an Allow header", async () => {
    const answer = await server.call("DELETE", "/Users");
    assertScimError(answer, 405);
    assert.equal(answer.headers.allow, "GET, HEAD, POST");
  });

  test("a malformed filter → 400 invalidFilter, never a 5xx", async () => {
    assertScimError(
      await server.call("GET", `/Users?${filterQuery('userName eq "unterminated')}`),
      400,
      "invalidFilter",
    );
  });
});
