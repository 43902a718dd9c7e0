/**
 * One test per check the public Microsoft SCIM Validator runs (list at the end of
 * ../shared/docs/entra-scim-wire.md), named after it, over HTTP against the real service. The validator
 * speaks the RFC-compliant dialect (lower-case ops, path-less replace with dotted keys).
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { HTTP_TEST_ENGINES } from "./support/engines";
import {
  filterQuery,
  type ScimAnswer,
  type ScimTestServer,
  startScimTestServer,
} from "./support/scim-test-server";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

let server: ScimTestServer;
const call = (method: string, path: string, body?: unknown) => server.call(method, path, body);

function patchOf(...operations: object[]) {
  return { schemas: [PATCH_OP], Operations: operations };
}

function assertPatched(answer: ScimAnswer) {
  assert.ok(
    answer.status === 200 || answer.status === 204,
    `PATCH answered ${answer.status}: ${answer.text}`,
  );
}

/** A user as the validator creates it: work email, phone and address, enterprise extension. */
async function validatorUser(extra: Record<string, unknown> = {}) {
  const unique = randomUUID().slice(0, 8);
  const answer = await call("POST", "/Users", {
    schemas: [USER, ENTERPRISE],
    userName: `validator.${unique}@contoso.com`,
    active: true,
    displayName: `Validator ${unique}`,
    externalId: `ext-${unique}`,
    name: { givenName: "Val", familyName: "Idator" },
    emails: [{ type: "work", value: `validator.${unique}@contoso.com`, primary: true }],
    phoneNumbers: [{ type: "work", value: "+1 555 0101", primary: true }],
    addresses: [
      { type: "work", streetAddress: "1 Microsoft Way", locality: "Redmond", country: "US", primary: true },
    ],
    [ENTERPRISE]: { department: "Engineering", employeeNumber: "42" },
    ...extra,
  });
  assert.equal(answer.status, 201, answer.text);
  return answer.body as { id: string; userName: string; externalId: string };
}

async function validatorGroup() {
  const answer = await call("POST", "/Groups", {
    schemas: [GROUP],
    displayName: `Validator Group ${randomUUID().slice(0, 8)}`,
    externalId: randomUUID(),
  });
  assert.equal(answer.status, 201, answer.text);
  return answer.body as { id: string; displayName: string };
}

const readUser = async (id: string) => (await call("GET", `/Users/${id}`)).body;
const readGroup = async (id: string) => (await call("GET", `/Groups/${id}`)).body;

for (const engine of HTTP_TEST_ENGINES) {
  describe(`Microsoft SCIM Validator checks, ${engine.label}`, { skip: engine.skip }, () => {
    before(async () => {
      server = await startScimTestServer({ databaseUrl: await engine.databaseUrl("http_validator") });
    });
    after(() => server.close());

    test("Create user", async () => {
      const user = await validatorUser();
      const read = await readUser(user.id);
      assert.equal(read.userName, user.userName);
      assert.equal(read[ENTERPRISE].department, "Engineering");
    });

    test("Filter existing user", async () => {
      const user = await validatorUser();
      const answer = await call("GET", `/Users?${filterQuery(`userName eq "${user.userName}"`)}`);
      assert.equal(answer.body.totalResults, 1);
      assert.equal(answer.body.Resources[0].id, user.id);
    });

    test("Get user by id", async () => {
      const user = await validatorUser();
      const answer = await call("GET", `/Users/${user.id}`);
      assert.equal(answer.status, 200);
      assert.equal(answer.body.id, user.id);
    });

    test("Disable user", async () => {
      const user = await validatorUser();
      assertPatched(
        await call("PATCH", `/Users/${user.id}`, patchOf({ op: "replace", path: "active", value: false })),
      );
      assert.equal((await readUser(user.id)).active, false);
    });

    test("Patch user add attributes", async () => {
      const user = await validatorUser();
      assertPatched(
        await call(
          "PATCH",
          `/Users/${user.id}`,
          patchOf({ op: "add", value: { title: "Architect", preferredLanguage: "en-US", nickName: "Val" } }),
        ),
      );
      const read = await readUser(user.id);
      assert.equal(read.title, "Architect");
      assert.equal(read.preferredLanguage, "en-US");
    });

    test("Delete user", async () => {
      const user = await validatorUser();
      assert.equal((await call("DELETE", `/Users/${user.id}`)).status, 204);
      assert.equal((await call("GET", `/Users/${user.id}`)).status, 404);
    });

    test("Create group", async () => {
      const group = await validatorGroup();
      assert.equal((await readGroup(group.id)).displayName, group.displayName);
    });

    test("Filter existing group", async () => {
      const group = await validatorGroup();
      const answer = await call("GET", `/Groups?${filterQuery(`displayName eq "${group.displayName}"`)}`);
      assert.equal(answer.body.totalResults, 1);
      assert.equal(answer.body.Resources[0].id, group.id);
    });

    test("Get group by id", async () => {
      const group = await validatorGroup();
      const answer = await call("GET", `/Groups/${group.id}`);
      assert.equal(answer.status, 200);
      assert.equal(answer.body.id, group.id);
    });

    test("Group add member", async () => {
      const group = await validatorGroup();
      const user = await validatorUser();
      assertPatched(
        await call(
          "PATCH",
          `/Groups/${group.id}`,
          patchOf({ op: "add", path: "members", value: [{ value: user.id }] }),
        ),
      );
      assert.deepEqual(
        (await readGroup(group.id)).members.map((member: { value: string }) => member.value),
        [user.id],
      );
    });

    test("Group remove member", async () => {
      const group = await validatorGroup();
      const first = await validatorUser();
      const second = await validatorUser();
      await call(
        "PATCH",
        `/Groups/${group.id}`,
        patchOf({ op: "add", path: "members", value: [{ value: first.id }, { value: second.id }] }),
      );
      assertPatched(
        await call(
          "PATCH",
          `/Groups/${group.id}`,
          patchOf({ op: "remove", path: `members[value eq "${first.id}"]` }),
        ),
      );
      assert.deepEqual(
        (await readGroup(group.id)).members.map((member: { value: string }) => member.value),
        [second.id],
      );
    });

    test("Delete group", async () => {
      const group = await validatorGroup();
      assert.equal((await call("DELETE", `/Groups/${group.id}`)).status, 204);
      assert.equal((await call("GET", `/Groups/${group.id}`)).status, 404);
    });

    test('Patch user replace emails[type eq "work"].value', async () => {
      const user = await validatorUser();
      assertPatched(
        await call(
          "PATCH",
          `/Users/${user.id}`,
          patchOf({ op: "replace", path: 'emails[type eq "work"].value', value: "new.work@contoso.com" }),
        ),
      );
      const read = await readUser(user.id);
      assert.equal(
        read.emails.find((email: { type: string }) => email.type === "work").value,
        "new.work@contoso.com",
      );
      assert.equal(read.emails.length, 1);
    });

    test('Patch user replace phoneNumbers[type eq "work"].value', async () => {
      const user = await validatorUser();
      assertPatched(
        await call(
          "PATCH",
          `/Users/${user.id}`,
          patchOf({ op: "replace", path: 'phoneNumbers[type eq "work"].value', value: "+1 555 0199" }),
        ),
      );
      const read = await readUser(user.id);
      assert.equal(
        read.phoneNumbers.find((phone: { type: string }) => phone.type === "work").value,
        "+1 555 0199",
      );
    });

    test('Patch user replace addresses[type eq "work"].streetAddress', async () => {
      const user = await validatorUser();
      assertPatched(
        await call(
          "PATCH",
          `/Users/${user.id}`,
          patchOf({
            op: "replace",
            path: 'addresses[type eq "work"].streetAddress',
            value: "2 Contoso Road",
          }),
        ),
      );
      const address = (await readUser(user.id)).addresses.find(
        (entry: { type: string }) => entry.type === "work",
      );
      assert.equal(address.streetAddress, "2 Contoso Road");
      assert.equal(address.locality, "Redmond", "the other sub-attributes stay");
    });

    test("Update userName via path-less replace", async () => {
      const user = await validatorUser();
      const newName = `renamed.${randomUUID().slice(0, 8)}@contoso.com`;
      assertPatched(
        await call("PATCH", `/Users/${user.id}`, patchOf({ op: "replace", value: { userName: newName } })),
      );
      assert.equal((await readUser(user.id)).userName, newName);
    });

    test("Add manager", async () => {
      const manager = await validatorUser();
      const user = await validatorUser();
      assertPatched(
        await call(
          "PATCH",
          `/Users/${user.id}`,
          patchOf({ op: "add", path: `${ENTERPRISE}:manager`, value: { value: manager.id } }),
        ),
      );
      assert.equal((await readUser(user.id))[ENTERPRISE].manager.value, manager.id);
    });

    test("Replace manager", async () => {
      const first = await validatorUser();
      const second = await validatorUser();
      const user = await validatorUser({ [ENTERPRISE]: { manager: { value: first.id } } });
      assertPatched(
        await call(
          "PATCH",
          `/Users/${user.id}`,
          patchOf({ op: "replace", path: `${ENTERPRISE}:manager`, value: { value: second.id } }),
        ),
      );
      assert.equal((await readUser(user.id))[ENTERPRISE].manager.value, second.id);
    });

    test("Remove manager", async () => {
      const manager = await validatorUser();
      const user = await validatorUser({
        [ENTERPRISE]: { department: "Engineering", manager: { value: manager.id } },
      });
      assertPatched(
        await call("PATCH", `/Users/${user.id}`, patchOf({ op: "remove", path: `${ENTERPRISE}:manager` })),
      );
      const enterprise = (await readUser(user.id))[ENTERPRISE];
      assert.equal(enterprise?.manager, undefined);
      assert.equal(enterprise?.department, "Engineering", "the rest of the extension stays");
    });

    test("Filter user with different case", async () => {
      const user = await validatorUser();
      const answer = await call(
        "GET",
        `/Users?${filterQuery(`userName eq "${user.userName.toUpperCase()}"`)}`,
      );
      assert.equal(answer.body.totalResults, 1);
      assert.equal(answer.body.Resources[0].id, user.id);
    });

    test("Filter group with different case", async () => {
      const group = await validatorGroup();
      const answer = await call(
        "GET",
        `/Groups?${filterQuery(`displayName eq "${group.displayName.toLowerCase()}"`)}`,
      );
      assert.equal(answer.body.totalResults, 1);
      assert.equal(answer.body.Resources[0].id, group.id);
    });

    test("Get group excluding members", async () => {
      const group = await validatorGroup();
      const answer = await call("GET", `/Groups/${group.id}?excludedAttributes=members`);
      assert.equal(answer.status, 200);
      assert.equal(answer.body.displayName, group.displayName);
      assert.equal("members" in answer.body, false);
    });

    test("Filter group excluding members", async () => {
      const group = await validatorGroup();
      const user = await validatorUser();
      await call(
        "PATCH",
        `/Groups/${group.id}`,
        patchOf({ op: "add", path: "members", value: [{ value: user.id }] }),
      );
      const answer = await call(
        "GET",
        `/Groups?excludedAttributes=members&${filterQuery(`displayName eq "${group.displayName}"`)}`,
      );
      assert.equal(answer.body.totalResults, 1);
      assert.equal("members" in answer.body.Resources[0], false);
    });

    test("Create duplicate group → 409", async () => {
      const group = await validatorGroup();
      const answer = await call("POST", "/Groups", { schemas: [GROUP], displayName: group.displayName });
      assert.equal(answer.status, 409, answer.text);
      assert.equal(answer.body.scimType, "uniqueness");
      assert.equal(answer.body.status, "409");
    });

    test("Patch group replace attributes path-less", async () => {
      const group = await validatorGroup();
      const newName = `Replaced ${randomUUID().slice(0, 8)}`;
      const externalId = randomUUID();
      assertPatched(
        await call(
          "PATCH",
          `/Groups/${group.id}`,
          patchOf({ op: "replace", value: { displayName: newName, externalId } }),
        ),
      );
      const read = await readGroup(group.id);
      assert.equal(read.displayName, newName);
      assert.equal(read.externalId, externalId);
    });

    test("Update group displayName", async () => {
      const group = await validatorGroup();
      const newName = `Renamed ${randomUUID().slice(0, 8)}`;
      assertPatched(
        await call(
          "PATCH",
          `/Groups/${group.id}`,
          patchOf({ op: "replace", path: "displayName", value: newName }),
        ),
      );
      assert.equal((await readGroup(group.id)).displayName, newName);
    });

    test("Boolean serialization", async () => {
      const user = await validatorUser({
        active: "True",
        emails: [{ type: "work", value: `bool.${randomUUID().slice(0, 8)}@contoso.com`, primary: "true" }],
      });
      const read = await readUser(user.id);
      assert.equal(read.active, true, "active is a JSON boolean, not a string");
      assert.equal(read.emails[0].primary, true, "primary is a JSON boolean, not a string");
      assertPatched(
        await call("PATCH", `/Users/${user.id}`, patchOf({ op: "replace", path: "active", value: "False" })),
      );
      assert.equal((await readUser(user.id)).active, false);
    });
  });
}
