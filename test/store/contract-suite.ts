/**
 * The storage contract (src/store/contract.ts) as tests, run against every engine by
 * sqlite-store.test.ts and postgres-store.test.ts. Each test gets an empty store.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ScimError } from "../../src/scim/errors";
import type { FilterNode } from "../../src/scim/filter/ast";
import type { ResourceDocument, Store, StoredResource } from "../../src/store/contract";
import { and, compare, not, or, present, traits, valuePath } from "./filters";

export interface EngineUnderTest {
  /** An empty, migrated store; `onSql` sees every SQL statement it runs. */
  freshStore(options?: { onSql?: (sql: string) => void }): Promise<Store>;
}

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

function user(userName: string, extra: Record<string, unknown> = {}): ResourceDocument {
  return { userName, active: true, ...extra };
}

function scimError(status: number, scimType: string | undefined, detail?: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof ScimError, `expected ScimError, got ${String(error)}`);
    assert.equal(error.status, status, error.detail);
    assert.equal(error.scimType, scimType);
    if (detail) assert.match(error.detail, detail);
    return true;
  };
}

async function names(store: Store, filter: FilterNode, type: "User" | "Group" = "User"): Promise<string[]> {
  const result = await store.query(type, { filter, startIndex: 1, count: 1000, includeMembers: false });
  assert.equal(result.totalResults, result.resources.length);
  const attribute = type === "User" ? "userName" : "displayName";
  return sortNames(result.resources.map((resource) => String(resource.document[attribute])));
}

function sortNames(values: string[]): string[] {
  return values.sort((left, right) => (left.toLowerCase() < right.toLowerCase() ? -1 : 1));
}

export function storeContractSuite(engine: EngineUnderTest): void {
  const withStore = (name: string, body: (store: Store) => Promise<void>) =>
    it(name, async () => {
      const store = await engine.freshStore();
      try {
        await body(store);
      } finally {
        await store.close();
      }
    });

  describe("create and get", () => {
    withStore("create stores the document and returns id, version 1 and timestamps", async (store) => {
      const document = user("alice@contoso.com", {
        name: { givenName: "Alice" },
        emails: [{ value: "a@x.io" }],
      });
      const created = await store.create({ type: "User", document });
      assert.match(created.id, /^[0-9a-f-]{36}$/);
      assert.equal(created.version, 1);
      assert.deepEqual(created.document, document);
      assert.equal(created.created.getTime(), created.lastModified.getTime());
      const fetched = await store.get("User", created.id, { includeMembers: false });
      assert.deepEqual(fetched, created);
    });

    withStore("get returns undefined for an unknown id or the wrong resource type", async (store) => {
      const created = await store.create({ type: "User", document: user("bob") });
      assert.equal(await store.get("Group", created.id, { includeMembers: true }), undefined);
      assert.equal(
        await store.get("User", "00000000-0000-0000-0000-000000000000", { includeMembers: false }),
        undefined,
      );
      assert.equal(await store.get("User", "not-a-uuid'--", { includeMembers: false }), undefined);
    });

    withStore("a user without userName is rejected with invalidValue", async (store) => {
      await assert.rejects(
        store.create({ type: "User", document: { displayName: "x" } }),
        scimError(400, "invalidValue"),
      );
    });

    withStore(
      "a document nested too deeply is refused with invalidValue before anything is stored",
      async (store) => {
        let deep: Record<string, unknown> = { value: "bottom" };
        for (let level = 0; level < 2000; level++) deep = { nested: deep };
        await assert.rejects(
          store.create({ type: "User", document: user("deep", { deep }) }),
          scimError(400, "invalidValue", /nested more than/),
        );
        assert.equal(
          (await store.query("User", { startIndex: 1, count: 0, includeMembers: false })).totalResults,
          0,
        );
      },
    );

    withStore(
      "a NUL character is stored faithfully or refused with 400, never a server error",
      async (store) => {
        const outcome = await store
          .create({ type: "User", document: user("nul\u0000name", { title: "a\u0000b" }) })
          .then(
            (created) => created,
            (error: unknown) => (scimError(400, "invalidValue", /NUL/)(error) ? undefined : undefined),
          );
        if (outcome) {
          assert.equal(
            (await store.get("User", outcome.id, { includeMembers: false }))?.document["title"],
            "a\u0000b",
          );
        }
        const filtered = await store
          .query("User", {
            filter: compare("title", "eq", "x\u0000"),
            startIndex: 1,
            count: 5,
            includeMembers: false,
          })
          .then(
            (result) => result.totalResults,
            (error: unknown) => (scimError(400, "invalidFilter")(error) ? 0 : -1),
          );
        assert.equal(filtered, 0);
      },
    );

    withStore("unicode and odd values round-trip unchanged", async (store) => {
      const document = user("zoë.ﬁ@例え.jp", {
        displayName: '🙂 "quoted" \\ back',
        nested: { deep: [1, [2, { x: null }]] },
      });
      const created = await store.create({ type: "User", document });
      assert.deepEqual((await store.get("User", created.id, { includeMembers: false }))?.document, document);
    });
  });

  describe("uniqueness", () => {
    withStore("userName is unique case-insensitively: 409 uniqueness quoting the value", async (store) => {
      await store.create({ type: "User", document: user("Alice@Contoso.com") });
      await assert.rejects(
        store.create({ type: "User", document: user("alice@CONTOSO.com") }),
        scimError(409, "uniqueness", /"alice@CONTOSO\.com"/),
      );
      await store.create({ type: "User", document: user("ÉMILE") });
      await assert.rejects(
        store.create({ type: "User", document: user("émile") }),
        scimError(409, "uniqueness"),
      );
    });

    withStore("group displayName is unique; a user and a group may share a name", async (store) => {
      await store.create({ type: "Group", document: { displayName: "Sales" } });
      await assert.rejects(
        store.create({ type: "Group", document: { displayName: "SALES" } }),
        scimError(409, "uniqueness", /SALES/),
      );
      await store.create({ type: "User", document: user("Sales") });
    });

    withStore("renaming onto a taken userName is 409 and changes nothing", async (store) => {
      await store.create({ type: "User", document: user("taken") });
      const other = await store.create({ type: "User", document: user("other") });
      await assert.rejects(
        store.update("User", other.id, () => ({ document: user("TAKEN") }), { includeMembers: false }),
        scimError(409, "uniqueness"),
      );
      const after = await store.get("User", other.id, { includeMembers: false });
      assert.equal(after?.document["userName"], "other");
      assert.equal(after?.version, 1);
    });

    withStore(
      "many concurrent creates of one userName: exactly one succeeds, the rest are 409",
      async (store) => {
        const attempts = await Promise.allSettled(
          Array.from({ length: 40 }, (_, index) =>
            store.create({ type: "User", document: user(index % 2 ? "Race@x.io" : "race@X.IO") }),
          ),
        );
        const succeeded = attempts.filter((attempt) => attempt.status === "fulfilled");
        assert.equal(succeeded.length, 1);
        for (const attempt of attempts) {
          if (attempt.status === "rejected") scimError(409, "uniqueness")(attempt.reason);
        }
        assert.equal(
          (await store.query("User", { startIndex: 1, count: 10, includeMembers: false })).totalResults,
          1,
        );
      },
    );
  });

  describe("update", () => {
    withStore("update replaces the document, bumps version and lastModified", async (store) => {
      const created = await store.create({ type: "User", document: user("carol", { title: "Engineer" }) });
      await new Promise((resolve) => setTimeout(resolve, 5));
      let seen: StoredResource | undefined;
      const updated = await store.update(
        "User",
        created.id,
        (current) => {
          seen = current;
          return { document: { ...current.document, title: "Lead" } };
        },
        { includeMembers: false },
      );
      assert.equal(seen?.document["title"], "Engineer");
      assert.equal(updated?.version, 2);
      assert.equal(updated?.document["title"], "Lead");
      assert.ok(updated!.lastModified.getTime() > created.lastModified.getTime());
      assert.equal(updated!.created.getTime(), created.created.getTime());
      assert.deepEqual(await store.get("User", created.id, { includeMembers: false }), updated);
    });

    withStore("update of an unknown id returns undefined and never calls mutate", async (store) => {
      let called = false;
      const result = await store.update(
        "User",
        "nope",
        () => {
          called = true;
          return {};
        },
        { includeMembers: false },
      );
      assert.equal(result, undefined);
      assert.equal(called, false);
    });

    withStore("If-Match with a stale version is 412 and changes nothing", async (store) => {
      const created = await store.create({ type: "User", document: user("dave") });
      await assert.rejects(
        store.update("User", created.id, () => ({ document: user("dave2") }), {
          includeMembers: false,
          expectedVersion: 7,
        }),
        scimError(412, undefined, /W\/"1"/),
      );
      const ok = await store.update("User", created.id, () => ({ document: user("dave2") }), {
        includeMembers: false,
        expectedVersion: 1,
      });
      assert.equal(ok?.version, 2);
    });

    withStore("a ScimError thrown by mutate aborts the write", async (store) => {
      const created = await store.create({ type: "User", document: user("erin") });
      await assert.rejects(
        store.update(
          "User",
          created.id,
          () => {
            throw new ScimError(400, "invalidPath", "no such path");
          },
          { includeMembers: false },
        ),
        scimError(400, "invalidPath"),
      );
      assert.equal((await store.get("User", created.id, { includeMembers: false }))?.version, 1);
    });

    withStore("an empty mutation leaves version and lastModified alone", async (store) => {
      const created = await store.create({ type: "User", document: user("frank") });
      const result = await store.update("User", created.id, () => ({}), { includeMembers: false });
      assert.deepEqual(result, created);
    });

    withStore("concurrent updates of one resource never lose an operation", async (store) => {
      const created = await store.create({ type: "User", document: user("grace", { tags: [] }) });
      await Promise.all(
        Array.from({ length: 30 }, (_, index) =>
          store.update(
            "User",
            created.id,
            (current) => ({
              document: {
                ...current.document,
                tags: [...(current.document["tags"] as string[]), `t${index}`],
              },
            }),
            { includeMembers: false },
          ),
        ),
      );
      const final = await store.get("User", created.id, { includeMembers: false });
      assert.equal((final!.document["tags"] as string[]).length, 30);
      assert.equal(final?.version, 31);
    });
  });

  describe("delete", () => {
    withStore("delete removes the resource; a second delete returns false", async (store) => {
      const created = await store.create({ type: "User", document: user("heidi") });
      assert.equal(await store.delete("Group", created.id), false);
      assert.equal(await store.delete("User", created.id), true);
      assert.equal(await store.get("User", created.id, { includeMembers: false }), undefined);
      assert.equal(await store.delete("User", created.id), false);
      await store.create({ type: "User", document: user("HEIDI") });
    });

    withStore(
      "deleting a user removes it from its groups; deleting a group removes its memberships",
      async (store) => {
        const alice = await store.create({ type: "User", document: user("alice") });
        const bob = await store.create({ type: "User", document: user("bob") });
        const group = await store.create({
          type: "Group",
          document: { displayName: "g" },
          members: [alice.id, bob.id],
        });
        const outer = await store.create({
          type: "Group",
          document: { displayName: "outer" },
          members: [group.id],
        });
        assert.equal(await store.delete("User", alice.id), true);
        const after = await store.get("Group", group.id, { includeMembers: true });
        assert.deepEqual(after?.members, [{ value: bob.id, type: "User", display: "bob" }]);
        assert.equal(await store.delete("Group", group.id), true);
        assert.deepEqual((await store.get("Group", outer.id, { includeMembers: true }))?.members, []);
        assert.deepEqual(await names(store, compare("groups.value", "eq", group.id, traits.reference)), []);
      },
    );
  });

  describe("members", () => {
    withStore("members are created, added, removed one by one and removed all", async (store) => {
      const [a, b, c] = await Promise.all(
        ["a", "b", "c"].map((name) => store.create({ type: "User", document: user(name) })),
      );
      const group = await store.create({
        type: "Group",
        document: { displayName: "team" },
        members: [a!.id],
      });
      assert.equal(group.members, undefined, "create returns no members unless asked");
      const options = { includeMembers: true };
      let updated = await store.update(
        "Group",
        group.id,
        () => ({ memberOps: [{ op: "add", ids: [b!.id, c!.id, b!.id] }] }),
        options,
      );
      assert.deepEqual(updated?.members?.map((member) => member.display).sort(), ["a", "b", "c"]);
      assert.equal(updated?.version, 2);
      updated = await store.update(
        "Group",
        group.id,
        () => ({ memberOps: [{ op: "remove", ids: [b!.id, "not-a-member"] }] }),
        options,
      );
      assert.deepEqual(updated?.members?.map((member) => member.display).sort(), ["a", "c"]);
      updated = await store.update(
        "Group",
        group.id,
        () => ({ memberOps: [{ op: "removeAll" }, { op: "add", ids: [c!.id] }] }),
        options,
      );
      assert.deepEqual(updated?.members, [{ value: c!.id, type: "User", display: "c" }]);
    });

    withStore("a nested group member is listed with type Group and its displayName", async (store) => {
      const inner = await store.create({ type: "Group", document: { displayName: "Inner" } });
      const outer = await store.create({
        type: "Group",
        document: { displayName: "Outer" },
        members: [inner.id],
      });
      assert.deepEqual((await store.get("Group", outer.id, { includeMembers: true }))?.members, [
        { value: inner.id, type: "Group", display: "Inner" },
      ]);
    });

    withStore(
      "an unknown member id is 400 invalidValue naming it, and the whole write rolls back",
      async (store) => {
        const a = await store.create({ type: "User", document: user("a") });
        const b = await store.create({ type: "User", document: user("b") });
        const group = await store.create({
          type: "Group",
          document: { displayName: "team" },
          members: [a.id],
        });
        await assert.rejects(
          store.update(
            "Group",
            group.id,
            () => ({
              document: { displayName: "renamed" },
              memberOps: [{ op: "add", ids: [b.id, "ghost-id"] }],
            }),
            { includeMembers: true },
          ),
          scimError(400, "invalidValue", /"ghost-id"/),
        );
        const after = await store.get("Group", group.id, { includeMembers: true });
        assert.equal(after?.document["displayName"], "team");
        assert.equal(after?.version, 1);
        assert.deepEqual(
          after?.members?.map((member) => member.value),
          [a.id],
        );
      },
    );

    withStore(
      "a write breaking two rules (a taken name and an unknown member) is 409 on every engine and path",
      async (store) => {
        await store.create({ type: "Group", document: { displayName: "Taken" } });
        const group = await store.create({ type: "Group", document: { displayName: "free" } });
        for (const includeMembers of [false, true]) {
          await assert.rejects(
            store.update(
              "Group",
              group.id,
              () => ({ document: { displayName: "TAKEN" }, memberOps: [{ op: "add", ids: ["ghost-id"] }] }),
              { includeMembers },
            ),
            scimError(409, "uniqueness"),
          );
        }
        const after = await store.get("Group", group.id, { includeMembers: true });
        assert.equal(after?.document["displayName"], "free");
        assert.equal(after?.version, 1);
      },
    );

    withStore("creating a group with an unknown member creates nothing", async (store) => {
      await assert.rejects(
        store.create({ type: "Group", document: { displayName: "ghosts" }, members: ["ghost"] }),
        scimError(400, "invalidValue", /"ghost"/),
      );
      assert.equal(
        (await store.query("Group", { startIndex: 1, count: 5, includeMembers: false })).totalResults,
        0,
      );
      await store.create({ type: "Group", document: { displayName: "ghosts" } });
    });

    withStore("reading a group without members never reads group_members", async (store) => {
      const a = await store.create({ type: "User", document: user("a") });
      await store.create({ type: "Group", document: { displayName: "team" }, members: [a.id] });
      await store.close();
      const statements: string[] = [];
      const observed = await engine.freshStore({ onSql: (sql) => statements.push(sql) });
      try {
        const member = await observed.create({ type: "User", document: user("m") });
        const group = await observed.create({
          type: "Group",
          document: { displayName: "g" },
          members: [member.id],
        });
        statements.length = 0;
        const fetched = await observed.get("Group", group.id, { includeMembers: false });
        const listed = await observed.query("Group", { startIndex: 1, count: 10, includeMembers: false });
        const patched = await observed.update(
          "Group",
          group.id,
          (current) => ({ document: { ...current.document, x: 1 } }),
          {
            includeMembers: false,
          },
        );
        assert.ok(statements.length > 0, "the engine reports its SQL");
        assert.deepEqual(
          statements.filter((sql) => /group_members/i.test(sql)),
          [],
        );
        assert.equal(fetched?.members, undefined);
        assert.equal(listed.resources[0]?.members, undefined);
        assert.equal(patched?.members, undefined);
        const withMembers = await observed.get("Group", group.id, { includeMembers: true });
        assert.equal(withMembers?.members?.length, 1);
        assert.ok(statements.some((sql) => /group_members/i.test(sql)));
      } finally {
        await observed.close();
      }
    });

    it("adding or removing one member runs the same statements for a 1,500-member group as for a 1-member group", async () => {
      const statements: string[] = [];
      const store = await engine.freshStore({ onSql: (sql) => statements.push(sql) });
      try {
        const ids: string[] = [];
        for (let index = 0; index < 1501; index++) {
          ids.push((await store.create({ type: "User", document: user(`bulk${index}`) })).id);
        }
        const newcomer = await store.create({ type: "User", document: user("newcomer") });
        const large = await store.create({
          type: "Group",
          document: { displayName: "large" },
          members: ids.slice(1),
        });
        const small = await store.create({
          type: "Group",
          document: { displayName: "small" },
          members: [ids[0]!],
        });
        const changeOneMember = async (groupId: string): Promise<string[]> => {
          statements.length = 0;
          for (const operation of [
            { op: "add", ids: [newcomer.id] },
            { op: "remove", ids: [newcomer.id] },
          ] as const) {
            await store.update("Group", groupId, () => ({ memberOps: [operation] }), {
              includeMembers: false,
            });
          }
          // SQLite reports statements with their values expanded; compare shapes.
          return statements.map((sql) => sql.replace(/'(?:[^']|'')*'(\/\*\+\d+ bytes\*\/)?/g, "?"));
        };
        const forSmall = await changeOneMember(small.id);
        const forLarge = await changeOneMember(large.id);
        assert.deepEqual(forLarge, forSmall);
        const group = await store.get("Group", large.id, { includeMembers: true });
        assert.equal(group?.members?.length, 1500);
      } finally {
        await store.close();
      }
    });

    withStore("query lists members of each group on the page when asked", async (store) => {
      const a = await store.create({ type: "User", document: user("a") });
      await store.create({ type: "Group", document: { displayName: "one" }, members: [a.id] });
      await store.create({ type: "Group", document: { displayName: "two" } });
      const result = await store.query("Group", { startIndex: 1, count: 10, includeMembers: true });
      assert.deepEqual(
        result.resources.map((group) => [group.document["displayName"], group.members?.length]),
        [
          ["one", 1],
          ["two", 0],
        ],
      );
    });
  });

  describe("query and filters", () => {
    const people: ResourceDocument[] = [
      {
        userName: "Alice@Contoso.com",
        externalId: "ext-1",
        active: true,
        displayName: "Alice Smith",
        title: "Engineer",
        name: { givenName: "Alice", familyName: "Smith" },
        emails: [
          { value: "alice@contoso.com", type: "work", primary: true },
          { value: "alice@home.example", type: "home" },
        ],
        roles: [],
        age: 34,
        [ENTERPRISE]: { employeeNumber: "701", department: "R&D", manager: { value: "m-1" } },
      },
      {
        userName: "bob@contoso.com",
        externalId: "EXT-2",
        active: false,
        displayName: "Bob Jones",
        title: "",
        name: { givenName: "Bob", familyName: "Jones" },
        emails: [{ value: "BOB@Contoso.com", type: "work", primary: false }],
        age: 51,
        [ENTERPRISE]: { employeeNumber: "702", department: "Sales" },
      },
      {
        userName: "carol_100%@fabrikam.com",
        externalId: "ext-3",
        displayName: "Carol \\ O'Brien",
        name: { givenName: "Carol" },
        emails: [{ value: "carol@fabrikam.com", type: "work" }],
        phoneNumbers: ["+1 555"],
        age: 29.5,
      },
      { userName: "Dave", active: true, title: "Engineer", emails: "not-an-array" },
    ];

    const seeded = (name: string, body: (store: Store) => Promise<void>) =>
      withStore(name, async (store) => {
        for (const document of people) await store.create({ type: "User", document });
        await body(store);
      });

    seeded("eq on userName is case-insensitive; on externalId case-exact", async (store) => {
      assert.deepEqual(await names(store, compare("userName", "eq", "alice@contoso.COM")), [
        "Alice@Contoso.com",
      ]);
      assert.deepEqual(await names(store, compare("externalId", "eq", "ext-2", traits.exactText)), []);
      assert.deepEqual(await names(store, compare("externalId", "eq", "EXT-2", traits.exactText)), [
        "bob@contoso.com",
      ]);
    });

    seeded("eq on id matches exactly one resource", async (store) => {
      const all = await store.query("User", { startIndex: 1, count: 10, includeMembers: false });
      const bob = all.resources.find((resource) => resource.document["userName"] === "bob@contoso.com")!;
      assert.deepEqual(await names(store, compare("id", "eq", bob.id, traits.exactText)), [
        "bob@contoso.com",
      ]);
    });

    seeded("ne includes resources where the attribute is absent", async (store) => {
      assert.deepEqual(await names(store, compare("title", "ne", "engineer")), [
        "bob@contoso.com",
        "carol_100%@fabrikam.com",
      ]);
    });

    seeded("co, sw and ew on strings, case-insensitive when caseExact=false", async (store) => {
      assert.deepEqual(await names(store, compare("userName", "co", "CONTOSO")), [
        "Alice@Contoso.com",
        "bob@contoso.com",
      ]);
      assert.deepEqual(await names(store, compare("userName", "sw", "AL")), ["Alice@Contoso.com"]);
      assert.deepEqual(await names(store, compare("userName", "ew", ".COM")), [
        "Alice@Contoso.com",
        "bob@contoso.com",
        "carol_100%@fabrikam.com",
      ]);
      assert.deepEqual(await names(store, compare("displayName", "co", "smith")), ["Alice@Contoso.com"]);
      assert.deepEqual(await names(store, compare("externalId", "sw", "EXT", traits.exactText)), [
        "bob@contoso.com",
      ]);
    });

    seeded("LIKE wildcards and the escape character in values are literal", async (store) => {
      assert.deepEqual(await names(store, compare("userName", "co", "%")), ["carol_100%@fabrikam.com"]);
      assert.deepEqual(await names(store, compare("userName", "co", "_")), ["carol_100%@fabrikam.com"]);
      assert.deepEqual(await names(store, compare("userName", "sw", "_")), []);
      assert.deepEqual(await names(store, compare("displayName", "co", "\\ o'")), [
        "carol_100%@fabrikam.com",
      ]);
      assert.deepEqual(await names(store, compare("displayName", "co", "\\")), ["carol_100%@fabrikam.com"]);
      assert.deepEqual(await names(store, compare("displayName", "co", "\\%")), []);
    });

    seeded("gt, ge, lt, le on strings and numbers", async (store) => {
      assert.deepEqual(await names(store, compare("userName", "gt", "bob@contoso.com")), [
        "carol_100%@fabrikam.com",
        "Dave",
      ]);
      assert.deepEqual(await names(store, compare("userName", "ge", "BOB@contoso.com")), [
        "bob@contoso.com",
        "carol_100%@fabrikam.com",
        "Dave",
      ]);
      assert.deepEqual(await names(store, compare("userName", "lt", "b")), ["Alice@Contoso.com"]);
      assert.deepEqual(await names(store, compare("age", "gt", 30, traits.integer)), [
        "Alice@Contoso.com",
        "bob@contoso.com",
      ]);
      assert.deepEqual(await names(store, compare("age", "le", 29.5, traits.integer)), [
        "carol_100%@fabrikam.com",
      ]);
      assert.deepEqual(await names(store, compare("age", "eq", 51, traits.integer)), ["bob@contoso.com"]);
    });

    seeded("gt on meta.created and meta.lastModified uses timestamps", async (store) => {
      const all = await store.query("User", { startIndex: 1, count: 10, includeMembers: false });
      const first = all.resources[0]!;
      const everyone = sortNames(all.resources.map((resource) => String(resource.document["userName"])));
      assert.deepEqual(
        await names(store, compare("meta.created", "ge", first.created.toISOString(), traits.dateTime)),
        everyone,
      );
      assert.deepEqual(
        await names(store, compare("meta.created", "lt", first.created.toISOString(), traits.dateTime)),
        [],
      );
      assert.deepEqual(
        await names(store, compare("meta.lastModified", "gt", "2000-01-01T00:00:00Z", traits.dateTime)),
        everyone,
      );
      assert.deepEqual(
        await names(store, compare("meta.lastModified", "gt", "2999-01-01T00:00:00+01:00", traits.dateTime)),
        [],
      );
      await assert.rejects(
        store.query("User", {
          filter: compare("meta.created", "gt", "yesterday", traits.dateTime),
          startIndex: 1,
          count: 1,
          includeMembers: false,
        }),
        scimError(400, "invalidFilter", /yesterday/),
      );
    });

    seeded("booleans: eq true/false (also Entra's string form), gt is invalidFilter", async (store) => {
      assert.deepEqual(await names(store, compare("active", "eq", true, traits.boolean)), [
        "Alice@Contoso.com",
        "Dave",
      ]);
      assert.deepEqual(await names(store, compare("active", "eq", "False", traits.boolean)), [
        "bob@contoso.com",
      ]);
      assert.deepEqual(await names(store, compare("active", "ne", true, traits.boolean)), [
        "bob@contoso.com",
        "carol_100%@fabrikam.com",
      ]);
      assert.deepEqual(await names(store, compare("emails.primary", "eq", true, traits.multiBoolean)), [
        "Alice@Contoso.com",
      ]);
      await assert.rejects(
        store.query("User", {
          filter: compare("active", "gt", true, traits.boolean),
          startIndex: 1,
          count: 1,
          includeMembers: false,
        }),
        scimError(400, "invalidFilter"),
      );
    });

    seeded("pr: not null, not empty string, not empty array", async (store) => {
      assert.deepEqual(await names(store, present("title")), ["Alice@Contoso.com", "Dave"]);
      assert.deepEqual(await names(store, present("roles", traits.multiText)), []);
      assert.deepEqual(await names(store, present("phoneNumbers", traits.multiText)), [
        "carol_100%@fabrikam.com",
      ]);
      assert.deepEqual(await names(store, present("name.familyName")), [
        "Alice@Contoso.com",
        "bob@contoso.com",
      ]);
      assert.deepEqual(await names(store, present("active", traits.boolean)), [
        "Alice@Contoso.com",
        "bob@contoso.com",
        "Dave",
      ]);
      assert.deepEqual(await names(store, present("externalId", traits.exactText)), [
        "Alice@Contoso.com",
        "bob@contoso.com",
        "carol_100%@fabrikam.com",
      ]);
      assert.deepEqual(await names(store, compare("title", "eq", null)), [
        "bob@contoso.com",
        "carol_100%@fabrikam.com",
      ]);
    });

    seeded("multi-valued attributes match when any element matches", async (store) => {
      assert.deepEqual(
        await names(store, compare("emails.value", "eq", "bob@contoso.com", traits.multiText)),
        ["bob@contoso.com"],
      );
      assert.deepEqual(await names(store, compare("emails.value", "ew", "example", traits.multiText)), [
        "Alice@Contoso.com",
      ]);
      assert.deepEqual(await names(store, compare("emails", "co", "fabrikam", traits.multiText)), [
        "carol_100%@fabrikam.com",
      ]);
      assert.deepEqual(await names(store, compare("phoneNumbers", "eq", "+1 555", traits.multiText)), [
        "carol_100%@fabrikam.com",
      ]);
      assert.deepEqual(await names(store, compare("emails.type", "ne", "home", traits.multiText)), [
        "bob@contoso.com",
        "carol_100%@fabrikam.com",
        "Dave",
      ]);
    });

    seeded('value paths: emails[type eq "work" and value co "contoso"]', async (store) => {
      const work = (inner: FilterNode) => valuePath("emails", inner);
      assert.deepEqual(
        await names(store, work(and(compare("type", "eq", "work"), compare("value", "co", "contoso")))),
        ["Alice@Contoso.com", "bob@contoso.com"],
      );
      assert.deepEqual(
        await names(store, work(and(compare("type", "eq", "home"), compare("value", "co", "contoso")))),
        [],
        "both conditions must hold for the same element",
      );
      assert.deepEqual(await names(store, work(compare("primary", "eq", true, traits.boolean))), [
        "Alice@Contoso.com",
      ]);
      assert.deepEqual(await names(store, not(work(present("type")))), ["Dave"]);
    });

    seeded("sub-attributes and extension attributes", async (store) => {
      assert.deepEqual(await names(store, compare("name.givenName", "eq", "CAROL")), [
        "carol_100%@fabrikam.com",
      ]);
      assert.deepEqual(await names(store, compare(`${ENTERPRISE}:employeeNumber`, "eq", "702")), [
        "bob@contoso.com",
      ]);
      assert.deepEqual(await names(store, compare(`${ENTERPRISE}:department`, "eq", "r&d")), [
        "Alice@Contoso.com",
      ]);
      assert.deepEqual(await names(store, compare(`${ENTERPRISE}:manager.value`, "eq", "m-1")), [
        "Alice@Contoso.com",
      ]);
      assert.deepEqual(await names(store, present(`${ENTERPRISE}:manager`)), ["Alice@Contoso.com"]);
    });

    seeded("and, or, not and grouping", async (store) => {
      assert.deepEqual(
        await names(
          store,
          or(
            and(compare("title", "eq", "engineer"), compare("active", "eq", true, traits.boolean)),
            compare("externalId", "eq", "ext-3", traits.exactText),
          ),
        ),
        ["Alice@Contoso.com", "carol_100%@fabrikam.com", "Dave"],
      );
      assert.deepEqual(await names(store, not(compare("userName", "sw", "a"))), [
        "bob@contoso.com",
        "carol_100%@fabrikam.com",
        "Dave",
      ]);
      assert.deepEqual(await names(store, not(not(compare("title", "eq", "Engineer")))), [
        "Alice@Contoso.com",
        "Dave",
      ]);
    });

    seeded("injection attempts are plain values", async (store) => {
      const hostile = [
        "'; DROP TABLE resources; --",
        '" OR 1=1 --',
        "x' OR '1'='1",
        "$1",
        "@p0",
        "?",
        "');DELETE FROM group_members;--",
        "\\'",
      ];
      for (const value of hostile) {
        assert.deepEqual(await names(store, compare("userName", "eq", value)), []);
        assert.deepEqual(await names(store, compare("title", "co", value)), []);
        assert.deepEqual(await names(store, compare("emails.value", "sw", value, traits.multiText)), []);
        assert.deepEqual(await names(store, compare(`${ENTERPRISE}:employeeNumber`, "eq", value)), []);
        assert.deepEqual(await names(store, valuePath("emails", compare("type", "eq", value))), []);
      }
      const created = await store.create({ type: "User", document: user("'; DROP TABLE resources; --") });
      assert.deepEqual(await names(store, compare("userName", "eq", "'; drop TABLE resources; --")), [
        "'; DROP TABLE resources; --",
      ]);
      assert.equal((await store.get("User", created.id, { includeMembers: false }))?.id, created.id);
      assert.equal(
        (await store.query("User", { startIndex: 1, count: 0, includeMembers: false })).totalResults,
        5,
      );
    });

    seeded("type mismatches are invalidFilter, not server errors", async (store) => {
      for (const filter of [
        compare("age", "co", "3", traits.integer),
        compare("age", "eq", "many", traits.integer),
        compare("title", "gt", null),
        compare("userName", "eq", 5),
      ]) {
        await assert.rejects(
          store.query("User", { filter, startIndex: 1, count: 1, includeMembers: false }),
          scimError(400, "invalidFilter"),
        );
      }
    });

    withStore("group filters: displayName and members via group_members", async (store) => {
      const alice = await store.create({ type: "User", document: user("alice") });
      const bob = await store.create({ type: "User", document: user("bob") });
      const sales = await store.create({
        type: "Group",
        document: { displayName: "Sales" },
        members: [alice.id],
      });
      await store.create({ type: "Group", document: { displayName: "Empty" } });
      await store.create({ type: "Group", document: { displayName: "Both" }, members: [alice.id, bob.id] });
      assert.deepEqual(await names(store, compare("displayName", "eq", "SALES"), "Group"), ["Sales"]);
      assert.deepEqual(
        await names(store, compare("members.value", "eq", bob.id, traits.reference), "Group"),
        ["Both"],
      );
      assert.deepEqual(await names(store, compare("members", "eq", alice.id, traits.reference), "Group"), [
        "Both",
        "Sales",
      ]);
      assert.deepEqual(
        await names(store, valuePath("members", compare("value", "eq", bob.id, traits.exactText)), "Group"),
        ["Both"],
      );
      assert.deepEqual(await names(store, compare("members.display", "eq", "BOB"), "Group"), ["Both"]);
      assert.deepEqual(await names(store, present("members", traits.reference), "Group"), ["Both", "Sales"]);
      assert.deepEqual(await names(store, not(present("members", traits.reference)), "Group"), ["Empty"]);
      assert.deepEqual(
        await names(
          store,
          and(compare("displayName", "eq", "sales"), compare("members.value", "eq", alice.id)),
          "Group",
        ),
        ["Sales"],
      );
      assert.deepEqual(await names(store, compare("groups.value", "eq", sales.id, traits.reference)), [
        "alice",
      ]);
    });

    withStore(
      "pagination: stable creation order, 1-based startIndex, totalResults across pages",
      async (store) => {
        const created: string[] = [];
        for (let index = 0; index < 7; index++) {
          created.push((await store.create({ type: "User", document: user(`user${index}`) })).id);
        }
        await store.create({ type: "Group", document: { displayName: "not a user" } });
        const seen: string[] = [];
        for (let startIndex = 1; startIndex <= 7; startIndex += 3) {
          const page = await store.query("User", { startIndex, count: 3, includeMembers: false });
          assert.equal(page.totalResults, 7);
          seen.push(...page.resources.map((resource) => resource.id));
        }
        assert.equal(seen.length, 7);
        assert.deepEqual(new Set(seen), new Set(created));
        const again = await store.query("User", { startIndex: 1, count: 7, includeMembers: false });
        assert.deepEqual(
          again.resources.map((resource) => resource.id),
          seen,
        );
        const sorted = [...again.resources].sort(
          (left, right) => left.created.getTime() - right.created.getTime() || (left.id < right.id ? -1 : 1),
        );
        assert.deepEqual(sorted, again.resources);
        const onlyCount = await store.query("User", { startIndex: 1, count: 0, includeMembers: false });
        assert.deepEqual(onlyCount, { totalResults: 7, resources: [] });
        const beyond = await store.query("User", { startIndex: 50, count: 10, includeMembers: false });
        assert.deepEqual(beyond, { totalResults: 7, resources: [] });
      },
    );
  });

  describe("migrations", () => {
    withStore("migrate() is idempotent and keeps data", async (store) => {
      const created = await store.create({ type: "User", document: user("kept") });
      await store.migrate();
      await Promise.all([store.migrate(), store.migrate(), store.migrate()]);
      assert.equal(
        (await store.get("User", created.id, { includeMembers: false }))?.document["userName"],
        "kept",
      );
    });

    withStore("ping resolves while the store is open", async (store) => {
      await store.ping();
    });
  });
}
