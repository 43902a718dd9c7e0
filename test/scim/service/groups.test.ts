/**
 * ScimProtocol /Groups end to end against the real embedded store: creation, members in both Entra
 * dialects, uniqueness, projection that never reads members.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ScimProtocol } from "../../../src/scim/service";
import { scimError } from "../scim-error";
import { BASE, call, currentStore, entraGroup, type Json, ok, patchOp, q, useFreshProtocol } from "./harness";

useFreshProtocol();

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

  it("a displayName longer than 1024 bytes is 400 invalidValue", async () => {
    await assert.rejects(
      call("POST", "/Groups", { displayName: "g".repeat(1025) }),
      scimError(400, "invalidValue", /displayName is 1025 bytes long/),
    );
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
    const recording = new Proxy(currentStore(), {
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
    const request = (method: string, target: string, body?: unknown) =>
      call(method, target, body, undefined, recorded);
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
