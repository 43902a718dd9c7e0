/**
 * Group commit in the SQLite engine (src/store/sqlite/group-commit.ts): writes issued together share
 * one transaction, each isolated in its own savepoint, and every promise settles after the COMMIT.
 * Transactions are observed through the store's onCommit hook and the SQL it runs (onSql), never timing.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import { ScimError } from "../../../src/scim/errors";
import { StoreUnavailableError } from "../../../src/store/contract";
import { GroupCommit } from "../../../src/store/sqlite/group-commit";
import { SqliteStore, type SqliteStoreOptions } from "../../../src/store/sqlite/sqlite-store";

const directory = fs.mkdtempSync(path.join(os.tmpdir(), "scimkit-group-commit-"));
after(() => fs.rmSync(directory, { recursive: true, force: true }));
let files = 0;

interface Observed {
  readonly store: SqliteStore;
  readonly file: string;
  /** Writes per committed transaction, in commit order. */
  readonly commits: number[];
  readonly statements: string[];
}

async function observedStore(options: SqliteStoreOptions = {}): Promise<Observed> {
  files += 1;
  const file = path.join(directory, `store-${files}.db`);
  const commits: number[] = [];
  const statements: string[] = [];
  const store = new SqliteStore(file, {
    ...options,
    onCommit: (writes) => commits.push(writes),
    onSql: (sql) => statements.push(sql),
  });
  await store.migrate();
  commits.length = 0;
  statements.length = 0;
  return { store, file, commits, statements };
}

/** What another connection (as after a restart) sees: only committed data. */
function committedUserNames(file: string): string[] {
  const database = new Database(file, { readonly: true });
  try {
    const rows = database.prepare("SELECT name FROM resources WHERE type = 'User' ORDER BY name").all() as {
      name: string;
    }[];
    return rows.map((row) => row.name);
  } finally {
    database.close();
  }
}

function isScimError(status: number, scimType: string) {
  return (error: unknown): boolean =>
    error instanceof ScimError && error.status === status && error.scimType === scimType;
}

describe("SQLite group commit", () => {
  it("writes issued in one tick commit in ONE transaction, and each caller gets its own result", async () => {
    const { store, file, commits, statements } = await observedStore();
    try {
      const created = await Promise.all(
        Array.from({ length: 12 }, (_, index) =>
          store.create({ type: "User", document: { userName: `u${String(index).padStart(2, "0")}` } }),
        ),
      );
      assert.deepEqual(commits, [12]);
      assert.equal(statements.filter((sql) => /^BEGIN IMMEDIATE/i.test(sql)).length, 1);
      assert.equal(statements.filter((sql) => /^COMMIT/i.test(sql)).length, 1);
      assert.deepEqual(
        created.map((resource) => resource.document["userName"]),
        Array.from({ length: 12 }, (_, index) => `u${String(index).padStart(2, "0")}`),
      );
      assert.equal(new Set(created.map((resource) => resource.id)).size, 12);
      // Acknowledged ⇒ committed: another connection sees every one of them.
      assert.equal(committedUserNames(file).length, 12);
    } finally {
      await store.close();
    }
  });

  it("writes awaited one after the other each commit at once (no waiting for company)", async () => {
    const { store, commits } = await observedStore();
    try {
      const user = await store.create({ type: "User", document: { userName: "solo" } });
      await store.update("User", user.id, (current) => ({ document: { ...current.document, title: "x" } }), {
        includeMembers: false,
      });
      await store.delete("User", user.id);
      assert.deepEqual(commits, [1, 1, 1]);
    } finally {
      await store.close();
    }
  });

  it("a write issued in the next event-loop turn joins the batch still gathering", async () => {
    const { store, commits } = await observedStore();
    try {
      const first = store.create({ type: "User", document: { userName: "early" } });
      const second = new Promise((resolve, reject) =>
        setImmediate(() =>
          store.create({ type: "User", document: { userName: "late" } }).then(resolve, reject),
        ),
      );
      await Promise.all([first, second]);
      assert.deepEqual(commits, [2]);
    } finally {
      await store.close();
    }
  });

  it("a batch never carries more than maxBatchSize writes", async () => {
    const { store, commits } = await observedStore({ maxBatchSize: 4 });
    try {
      await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          store.create({ type: "User", document: { userName: `b${index}` } }),
        ),
      );
      assert.deepEqual(commits, [4, 4, 2]);
    } finally {
      await store.close();
    }
  });

  it("a duplicate userName in a batch rejects alone (409) while its batch-mates are stored", async () => {
    const { store, file, commits } = await observedStore();
    try {
      await store.create({ type: "User", document: { userName: "taken" } });
      commits.length = 0;
      const outcomes = await Promise.allSettled([
        store.create({ type: "User", document: { userName: "before" } }),
        store.create({ type: "User", document: { userName: "TAKEN" } }),
        store.create({ type: "User", document: { userName: "twin" } }),
        store.create({ type: "User", document: { userName: "Twin" } }),
        store.create({ type: "User", document: { userName: "after" } }),
      ]);
      assert.deepEqual(commits, [5]);
      assert.deepEqual(
        outcomes.map((outcome) => outcome.status),
        ["fulfilled", "rejected", "fulfilled", "rejected", "fulfilled"],
      );
      for (const outcome of outcomes) {
        if (outcome.status === "rejected") assert.ok(isScimError(409, "uniqueness")(outcome.reason));
      }
      assert.deepEqual(committedUserNames(file), ["after", "before", "taken", "twin"]);
    } finally {
      await store.close();
    }
  });

  it("a failing update in a batch rolls back only its own changes, even those already made", async () => {
    const { store, commits } = await observedStore();
    try {
      const alice = await store.create({ type: "User", document: { userName: "alice" } });
      const bob = await store.create({ type: "User", document: { userName: "bob" } });
      const carol = await store.create({ type: "User", document: { userName: "carol" } });
      const team = await store.create({ type: "Group", document: { displayName: "team" } });
      commits.length = 0;
      const unknownId = "00000000-0000-0000-0000-000000000000";
      const outcomes = await Promise.allSettled([
        store.update("User", alice.id, (current) => ({ document: { ...current.document, title: "A" } }), {
          includeMembers: false,
        }),
        // mutate throws: nothing of this update may remain.
        store.update(
          "User",
          bob.id,
          () => {
            throw new ScimError(400, "invalidValue", "mutate refused");
          },
          { includeMembers: false },
        ),
        // The first member op is applied inside the savepoint before the second fails (400).
        store.update(
          "Group",
          team.id,
          (current) => ({
            document: { ...current.document, displayName: "renamed" },
            memberOps: [
              { op: "add", ids: [alice.id] },
              { op: "add", ids: [unknownId] },
            ],
          }),
          { includeMembers: true },
        ),
        // Stale If-Match: 412.
        store.update("User", carol.id, (current) => ({ document: { ...current.document, title: "C" } }), {
          includeMembers: false,
          expectedVersion: 7,
        }),
        store.update("Group", team.id, () => ({ memberOps: [{ op: "add", ids: [bob.id] }] }), {
          includeMembers: true,
        }),
      ]);
      assert.deepEqual(commits, [5]);
      assert.deepEqual(
        outcomes.map((outcome) => outcome.status),
        ["fulfilled", "rejected", "rejected", "rejected", "fulfilled"],
      );
      const reasons = outcomes.map((outcome) => (outcome.status === "rejected" ? outcome.reason : undefined));
      assert.ok(isScimError(400, "invalidValue")(reasons[1]));
      assert.ok(isScimError(400, "invalidValue")(reasons[2]));
      assert.match((reasons[2] as ScimError).detail, new RegExp(unknownId));
      assert.equal((reasons[3] as ScimError).status, 412);

      const storedAlice = await store.get("User", alice.id, { includeMembers: false });
      assert.equal(storedAlice?.document["title"], "A");
      assert.equal(storedAlice?.version, 2);
      const storedBob = await store.get("User", bob.id, { includeMembers: false });
      assert.deepEqual(storedBob?.document, { userName: "bob" });
      assert.equal(storedBob?.version, 1);
      assert.equal((await store.get("User", carol.id, { includeMembers: false }))?.version, 1);
      const storedTeam = await store.get("Group", team.id, { includeMembers: true });
      assert.equal(storedTeam?.document["displayName"], "team", "the failed rename was rolled back");
      assert.deepEqual(
        storedTeam?.members?.map((member) => member.value),
        [bob.id],
        "alice's membership from the failed update was rolled back; bob's from the next one stayed",
      );
      assert.equal(storedTeam?.version, 2);
    } finally {
      await store.close();
    }
  });

  it("batch-mates see each other's writes in submission order", async () => {
    const { store, commits } = await observedStore();
    try {
      const user = await store.create({ type: "User", document: { userName: "ordered" } });
      commits.length = 0;
      const [first, second, deleted, afterDelete] = await Promise.all([
        store.update("User", user.id, (current) => ({ document: { ...current.document, n: 1 } }), {
          includeMembers: false,
        }),
        store.update(
          "User",
          user.id,
          (current) => ({ document: { ...current.document, n: Number(current.document["n"]) + 1 } }),
          { includeMembers: false },
        ),
        store.delete("User", user.id),
        store.update("User", user.id, () => ({ document: { userName: "ghost" } }), { includeMembers: false }),
      ]);
      assert.deepEqual(commits, [4]);
      assert.equal(first?.version, 2);
      assert.equal(second?.document["n"], 2);
      assert.equal(second?.version, 3);
      assert.equal(deleted, true);
      assert.equal(afterDelete, undefined);
    } finally {
      await store.close();
    }
  });

  it("close() commits the writes still queued and answers their callers", async () => {
    const { store, file } = await observedStore();
    const pending = [
      store.create({ type: "User", document: { userName: "queued1" } }),
      store.create({ type: "User", document: { userName: "queued2" } }),
    ];
    await store.close();
    const created = await Promise.all(pending);
    assert.deepEqual(
      created.map((resource) => resource.document["userName"]),
      ["queued1", "queued2"],
    );
    assert.deepEqual(committedUserNames(file), ["queued1", "queued2"]);
    await assert.rejects(
      store.create({ type: "User", document: { userName: "late" } }),
      StoreUnavailableError,
    );
  });

  it("a batch that cannot take the write lock rejects every write with StoreUnavailableError", async () => {
    const { store, file } = await observedStore({ busyTimeoutMs: 50 });
    const other = new Database(file);
    try {
      other.exec("BEGIN IMMEDIATE");
      const outcomes = await Promise.allSettled([
        store.create({ type: "User", document: { userName: "x1" } }),
        store.create({ type: "User", document: { userName: "x2" } }),
      ]);
      for (const outcome of outcomes) {
        assert.equal(outcome.status, "rejected");
        assert.ok(outcome.reason instanceof StoreUnavailableError);
      }
      other.exec("ROLLBACK");
      await store.create({ type: "User", document: { userName: "x1" } });
      assert.deepEqual(committedUserNames(file), ["x1"]);
    } finally {
      other.close();
      await store.close();
    }
  });
});

describe("GroupCommit when SQLite abandons the whole transaction", () => {
  it("a write after which no transaction is left rejects its batch-mates too: none of them was stored", async () => {
    const database = new Database(path.join(directory, "abandoned.db"));
    try {
      database.exec("CREATE TABLE t (v INTEGER)");
      const batcher = new GroupCommit(database, { mapError: (error) => error });
      const outcomes = await Promise.allSettled([
        batcher.submit(() => database.prepare("INSERT INTO t (v) VALUES (1)").run().changes),
        // Stands in for SQLITE_FULL / SQLITE_IOERR, after which SQLite rolls the transaction back itself.
        batcher.submit(() => {
          database.prepare("ROLLBACK").run();
          throw new Error("disk full");
        }),
        batcher.submit(() => database.prepare("INSERT INTO t (v) VALUES (3)").run().changes),
      ]);
      const reasons = outcomes.map((outcome) =>
        outcome.status === "rejected" ? String(outcome.reason) : "stored",
      );
      assert.deepEqual(reasons, ["Error: disk full", "Error: disk full", "Error: disk full"]);
      assert.deepEqual(database.prepare("SELECT count(*) AS n FROM t").get(), { n: 0 });
      assert.equal(
        await batcher.submit(() => database.prepare("INSERT INTO t (v) VALUES (4)").run().changes),
        1,
      );
    } finally {
      database.close();
    }
  });
});

describe("GroupCommit when COMMIT itself fails", () => {
  it("rejects every write of the batch and leaves nothing of it in the database", async () => {
    const database = new Database(path.join(directory, "commit-fails.db"));
    try {
      database.pragma("journal_mode = WAL");
      database.pragma("foreign_keys = ON");
      database.exec(
        "CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (parent_id INTEGER REFERENCES parent(id))",
      );
      const commits: number[] = [];
      const batcher = new GroupCommit(database, {
        mapError: (error) => error,
        onCommit: (writes) => commits.push(writes),
      });
      const outcomes = await Promise.allSettled([
        batcher.submit(() => database.prepare("INSERT INTO parent (id) VALUES (1)").run().changes),
        // A deferred foreign key is checked only at COMMIT, which therefore fails
        // (https://sqlite.org/foreignkeys.html#fk_deferred).
        batcher.submit(() => {
          database.pragma("defer_foreign_keys = ON");
          return database.prepare("INSERT INTO child (parent_id) VALUES (42)").run().changes;
        }),
        batcher.submit(() => {
          throw new Error("own failure");
        }),
      ]);
      assert.deepEqual(commits, []);
      assert.deepEqual(
        outcomes.map((outcome) => outcome.status),
        ["rejected", "rejected", "rejected"],
      );
      const reasons = outcomes.map((outcome) => (outcome.status === "rejected" ? outcome.reason : undefined));
      assert.match(String(reasons[0]), /FOREIGN KEY/i);
      assert.match(String(reasons[1]), /FOREIGN KEY/i);
      assert.match(String(reasons[2]), /own failure/, "a write that failed by itself keeps its own error");
      assert.equal(database.inTransaction, false);
      assert.deepEqual(database.prepare("SELECT count(*) AS n FROM parent").get(), { n: 0 });
      // The next batch works normally.
      assert.equal(
        await batcher.submit(() => database.prepare("INSERT INTO parent (id) VALUES (2)").run().changes),
        1,
      );
      assert.deepEqual(commits, [1]);
    } finally {
      database.close();
    }
  });
});
