import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/identity";
import pg from "pg";
import { ScimError } from "../../../src/scim/errors";
import { StoreConfigError } from "../../../src/store/config";
import { StoreUnavailableError } from "../../../src/store/contract";
import { openStore } from "../../../src/store/index";
import { AZURE_POSTGRES_SCOPE } from "../../../src/store/postgres/azure-token-password";
import { PostgresStore } from "../../../src/store/postgres/postgres-store";
import {
  type PostgresServer,
  postgresSkipReason,
  sharedPostgres,
  startPostgres,
} from "../../support/postgres";
import { storeContractSuite } from "../contract-suite";

const skip = postgresSkipReason();
if (skip) console.log(skip);

async function truncate(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("TRUNCATE resources, group_members");
  } finally {
    await client.end();
  }
}

describe("PostgreSQL store", { skip }, () => {
  let url: string;
  before(async () => {
    url = await (await sharedPostgres()).createDatabase("contract");
  });

  storeContractSuite({
    async freshStore(options = {}) {
      const store = new PostgresStore({ connectionString: url, onSql: options.onSql });
      await store.migrate();
      await truncate(url);
      return store;
    },
  });
});

describe("PostgreSQL store across replicas", { skip }, () => {
  let server: PostgresServer;
  before(async () => {
    server = await sharedPostgres();
  });

  it("several replicas migrating at once apply each migration exactly once", async () => {
    const url = await server.createDatabase("migrations");
    const replicas = Array.from(
      { length: 6 },
      () => new PostgresStore({ connectionString: url, poolSize: 2 }),
    );
    try {
      await Promise.all(replicas.map((replica) => replica.migrate()));
      await Promise.all(replicas.map((replica) => replica.migrate()));
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const rows = await client.query(
        "SELECT version, count(*)::int AS applied FROM schema_migrations GROUP BY version",
      );
      await client.end();
      assert.ok(rows.rows.length >= 1);
      for (const row of rows.rows) assert.equal(row.applied, 1);
      await replicas[0]!.create({ type: "User", document: { userName: "after-migration" } });
    } finally {
      await Promise.all(replicas.map((replica) => replica.close()));
    }
  });

  it("two pools: concurrent creates of one userName → one success; concurrent member adds all land", async () => {
    const url = await server.createDatabase("replicas");
    const [first, second] = [
      new PostgresStore({ connectionString: url }),
      new PostgresStore({ connectionString: url }),
    ];
    try {
      await first.migrate();
      const creates = await Promise.allSettled(
        Array.from({ length: 100 }, (_, index) =>
          (index % 2 ? first : second).create({
            type: "User",
            document: { userName: index % 3 ? "Same@X.io" : "same@x.IO" },
          }),
        ),
      );
      assert.equal(creates.filter((attempt) => attempt.status === "fulfilled").length, 1);
      for (const attempt of creates) {
        if (attempt.status === "rejected") {
          assert.ok(
            attempt.reason instanceof ScimError && attempt.reason.status === 409,
            String(attempt.reason),
          );
        }
      }
      const users = [];
      for (let index = 0; index < 200; index++) {
        users.push(await first.create({ type: "User", document: { userName: `member${index}` } }));
      }
      const group = await first.create({ type: "Group", document: { displayName: "big" } });
      await Promise.all(
        users.map((user, index) =>
          (index % 2 ? first : second).update(
            "Group",
            group.id,
            () => ({ memberOps: [{ op: "add", ids: [user.id] }] }),
            {
              includeMembers: false,
            },
          ),
        ),
      );
      const stored = await second.get("Group", group.id, { includeMembers: true });
      assert.equal(stored?.members?.length, 200);
      assert.equal(stored?.version, 201);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });
});

describe("PostgreSQL writes without the row lock", { skip }, () => {
  let url: string;
  before(async () => {
    url = await (await sharedPostgres()).createDatabase("optimistic");
  });

  it("a lone PATCH is two statements; writers racing on two pools lose nothing and fall back to the lock", async () => {
    const statements: string[] = [];
    const onSql = (sql: string) => statements.push(sql);
    const [first, second] = [
      new PostgresStore({ connectionString: url, onSql }),
      new PostgresStore({ connectionString: url, onSql }),
    ];
    try {
      await first.migrate();
      const created = await first.create({ type: "User", document: { userName: "racer", tags: [] } });
      statements.length = 0;
      await first.update(
        "User",
        created.id,
        (current) => ({ document: { ...current.document, title: "x" } }),
        {
          includeMembers: false,
        },
      );
      assert.deepEqual(
        statements.map((sql) => sql.trim().split(/\s+/)[0]),
        ["SELECT", "UPDATE"],
        "no BEGIN/COMMIT and no lock for an uncontended write",
      );

      statements.length = 0;
      await Promise.all(
        Array.from({ length: 40 }, (_, index) =>
          (index % 2 ? first : second).update(
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
      const final = await second.get("User", created.id, { includeMembers: false });
      assert.equal((final!.document["tags"] as string[]).length, 40, "every racing append survived");
      assert.equal(final?.version, 42);
      assert.ok(
        statements.some((sql) => sql.includes("FOR NO KEY UPDATE")),
        "writers that lost the race redid their write under the row lock",
      );
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it("one member addition or removal in one statement: unknown ids write nothing, the version moves once", async () => {
    const statements: string[] = [];
    const store = new PostgresStore({ connectionString: url, onSql: (sql) => statements.push(sql) });
    try {
      await store.migrate();
      const alice = await store.create({ type: "User", document: { userName: "m-alice" } });
      const bob = await store.create({ type: "User", document: { userName: "m-bob" } });
      const group = await store.create({ type: "Group", document: { displayName: "one-statement" } });
      statements.length = 0;
      const add = (ids: string[]) =>
        store.update("Group", group.id, () => ({ memberOps: [{ op: "add", ids }] }), {
          includeMembers: false,
        });
      await assert.rejects(add([alice.id, "no-such-id", bob.id, "nor-this"]), (error: unknown) => {
        assert.ok(error instanceof ScimError && error.status === 400, String(error));
        assert.match(error.message, /no-such-id.*nor-this/);
        return true;
      });
      let stored = await store.get("Group", group.id, { includeMembers: true });
      assert.deepEqual(stored?.members, [], "a rejected addition adds no one");
      assert.equal(stored?.version, 1, "and does not move the version");

      assert.equal((await add([alice.id, bob.id, alice.id]))?.version, 2);
      assert.equal(
        (await add([bob.id]))?.version,
        3,
        "adding a present member is a no-op that still counts as a write",
      );
      const removed = await store.update(
        "Group",
        group.id,
        () => ({ memberOps: [{ op: "remove", ids: [alice.id, "never-a-member"] }] }),
        { includeMembers: false },
      );
      assert.equal(removed?.version, 4);
      stored = await store.get("Group", group.id, { includeMembers: true });
      assert.deepEqual(
        stored?.members?.map((member) => member.value),
        [bob.id],
      );
      assert.ok(
        !statements.some((sql) => /FOR NO KEY UPDATE|^BEGIN/.test(sql)),
        "no write here needed the locked path",
      );
    } finally {
      await store.close();
    }
  });

  it("a member addition that finds its group changed since the read answers as the locked path would (412, not 400)", async () => {
    // The other writer commits between this store's read and its write: onSql runs synchronously just
    // before the write is sent, and a child process makes the change and commits before it returns.
    let interleave: (() => void) | undefined;
    const store = new PostgresStore({
      connectionString: url,
      onSql: (sql) => {
        // Only the unlocked addition (its UPDATE and the member CTEs in one statement): under the row lock
        // the other writer would wait for this one, and the synchronous call below would never return.
        if (sql.includes("WITH candidate") && sql.includes("UPDATE resources") && interleave) {
          interleave();
          interleave = undefined;
        }
      },
    });
    try {
      await store.migrate();
      const group = await store.create({ type: "Group", document: { displayName: "moving" } });
      interleave = () =>
        execFileSync(
          process.execPath,
          [
            "-e",
            `const pg = require("pg"); const c = new pg.Client({ connectionString: process.env.URL });
             c.connect().then(() => c.query("UPDATE resources SET version = version + 1 WHERE id = $1", [process.env.ID]))
               .then(() => c.end());`,
          ],
          {
            cwd: path.resolve(__dirname, "..", "..", ".."),
            env: { ...process.env, URL: url, ID: group.id },
            timeout: 15_000,
          },
        );
      await assert.rejects(
        store.update("Group", group.id, () => ({ memberOps: [{ op: "add", ids: ["ghost-id"] }] }), {
          includeMembers: false,
          expectedVersion: 1,
        }),
        (error: unknown) => error instanceof ScimError && error.status === 412,
      );
      assert.equal(interleave, undefined, "the interleaving ran");
      assert.equal((await store.get("Group", group.id, { includeMembers: false }))?.version, 2);
    } finally {
      await store.close();
    }
  });
});

describe("PostgreSQL prepared statements", { skip }, () => {
  it("a statement made stale by another replica's migration is prepared again, not failed on", async () => {
    const url = await (await sharedPostgres()).createDatabase("stale_plans");
    // One connection, so every call below reuses the statements prepared on it.
    const store = new PostgresStore({ connectionString: url, poolSize: 1 });
    const admin = new pg.Client({ connectionString: url });
    try {
      await store.migrate();
      const user = await store.create({ type: "User", document: { userName: "stale@contoso.com" } });
      const rename = (name: string) =>
        store.update(
          "User",
          user.id,
          (current) => ({ document: { ...current.document, displayName: name } }),
          {
            includeMembers: false,
          },
        );
      await rename("before");
      await store.query("User", { startIndex: 1, count: 10, includeMembers: false });
      // What a rolling deploy's migration on another replica can do: change a type the statements return.
      await admin.connect();
      await admin.query("ALTER TABLE resources ALTER COLUMN version TYPE bigint");
      for (const name of ["after 1", "after 2", "after 3"]) {
        const updated = await rename(name);
        assert.equal(updated?.document["displayName"], name);
      }
      const listed = await store.query("User", { startIndex: 1, count: 10, includeMembers: false });
      assert.equal(listed.totalResults, 1);
      assert.equal(
        (await store.get("User", user.id, { includeMembers: false }))?.document["displayName"],
        "after 3",
      );
    } finally {
      await admin.end().catch(() => undefined);
      await store.close();
    }
  });
});

describe("PostgreSQL outage", { skip }, () => {
  let server: PostgresServer;
  before(async () => {
    server = await startPostgres();
  });
  after(async () => {
    await server?.destroy();
  });

  it("calls fail with StoreUnavailableError while the server is down and succeed again after", async (context) => {
    if (!server.controllable)
      return context.skip("SCIMKIT_TEST_POSTGRES_URL servers cannot be stopped by tests");
    const url = await server.createDatabase("outage");
    const poolErrors: Error[] = [];
    const store = new PostgresStore({
      connectionString: url,
      connectionTimeoutMs: 1000,
      onPoolError: (error) => poolErrors.push(error),
    });
    try {
      const before = await store.create({ type: "User", document: { userName: "before" } });
      await store.ping();
      await server.stop();
      const unavailable = (error: unknown) => error instanceof StoreUnavailableError;
      await assert.rejects(store.ping(), unavailable);
      await assert.rejects(store.create({ type: "User", document: { userName: "during" } }), unavailable);
      await assert.rejects(store.get("User", before.id, { includeMembers: false }), unavailable);
      await assert.rejects(
        store.query("User", { startIndex: 1, count: 5, includeMembers: false }),
        unavailable,
      );
      await assert.rejects(
        store.update("User", before.id, () => ({ document: { userName: "x" } }), { includeMembers: false }),
        unavailable,
      );
      // The pool held idle connections when the server went down: their errors reached the pool's
      // 'error' listener instead of crashing the process.
      assert.ok(poolErrors.length > 0, "idle connections reported their loss");
      await server.start();
      await store.ping();
      const after = await store.create({ type: "User", document: { userName: "after" } });
      assert.equal(
        (await store.get("User", after.id, { includeMembers: false }))?.document["userName"],
        "after",
      );
      assert.equal(
        (await store.query("User", { startIndex: 1, count: 0, includeMembers: false })).totalResults,
        2,
      );
    } finally {
      await store.close();
    }
  });

  it("a store opened while the server is down starts, fails with 503s, then migrates when it returns", async (context) => {
    if (!server.controllable)
      return context.skip("SCIMKIT_TEST_POSTGRES_URL servers cannot be stopped by tests");
    const url = await server.createDatabase("late");
    await server.stop();
    const store = await openStore(url);
    try {
      await assert.rejects(store.migrate(), (error: unknown) => error instanceof StoreUnavailableError);
      await server.start();
      await store.migrate();
      await store.create({ type: "User", document: { userName: "late" } });
    } finally {
      await store.close();
    }
  });
});

/** Stands in for ManagedIdentityCredential: hands out a fixed token, records the scopes asked for. */
class StandInCredential implements TokenCredential {
  readonly scopes: string[] = [];
  constructor(private token: string) {}
  async getToken(scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken> {
    this.scopes.push(...(Array.isArray(scopes) ? scopes : [scopes]));
    return { token: this.token, expiresOnTimestamp: Date.now() + 60 * 60_000 };
  }
  setToken(token: string): void {
    this.token = token;
  }
}

describe("PostgreSQL with Microsoft Entra authentication (token as password)", { skip }, () => {
  let server: PostgresServer;
  before(async () => {
    server = await sharedPostgres();
  });

  it("connects with the credential's token as the password, and fails with 503 when it is refused", async (context) => {
    if (!server.controllable) return context.skip("needs a server whose pg_hba.conf the test controls");
    const role = `managed_identity_${Date.now() % 100000}`;
    await server.admin(`CREATE ROLE ${role} LOGIN PASSWORD 'token-from-entra'`);
    const url = await server.createDatabase("azure");
    await server.admin(`ALTER DATABASE "${new URL(url).pathname.slice(1)}" OWNER TO ${role}`);
    await server.requirePassword(role);
    const roleUrl = url.replace("postgres@", `${role}@`);

    const refused = await openStore(roleUrl, {
      auth: "azure",
      credential: new StandInCredential("wrong-token"),
    });
    await assert.rejects(refused.migrate(), (error: unknown) => error instanceof StoreUnavailableError);
    await refused.close();

    const credential = new StandInCredential("token-from-entra");
    const store = await openStore(roleUrl, { auth: "azure", credential });
    try {
      await store.migrate();
      const created = await store.create({ type: "User", document: { userName: "passwordless" } });
      assert.equal((await store.get("User", created.id, { includeMembers: false }))?.id, created.id);
      assert.ok(credential.scopes.length >= 1);
      assert.deepEqual(new Set(credential.scopes), new Set([AZURE_POSTGRES_SCOPE]));
    } finally {
      await store.close();
    }
  });

  it("refuses a DATABASE_URL that carries a password, or no user, in azure mode", async () => {
    const credential = new StandInCredential("t");
    await assert.rejects(
      openStore("postgres://app:secret@127.0.0.1:1/db", { auth: "azure", credential }),
      (error: unknown) =>
        error instanceof StoreConfigError && /must not contain a password/.test(error.message),
    );
    await assert.rejects(
      openStore("postgres://127.0.0.1:1/db", { auth: "azure", credential }),
      (error: unknown) =>
        error instanceof StoreConfigError && /DATABASE_URL needs the database role/.test(error.message),
    );
  });
});
