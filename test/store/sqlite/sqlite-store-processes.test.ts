import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { it } from "node:test";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { StoreUnavailableError } from "../../../src/store/contract";
import { SqliteStore } from "../../../src/store/sqlite/sqlite-store";

const run = promisify(execFile);

it("read-modify-writes from two processes on one SQLite file never lose an update (BEGIN IMMEDIATE)", async () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "scimkit-sqlite-processes-"));
  try {
    const file = path.join(directory, "shared.db");
    const store = new SqliteStore(file);
    await store.migrate();
    const user = await store.create({ type: "User", document: { userName: "counter", counter: 0 } });
    const worker = path.join(__dirname, "counter-worker.ts");
    await Promise.all(
      [1, 2].map(() =>
        run(process.execPath, ["--import", "tsx", worker, file, user.id, "150"], { timeout: 120_000 }),
      ),
    );
    const final = await store.get("User", user.id, { includeMembers: false });
    assert.equal(final?.document["counter"], 300);
    assert.equal(final?.version, 301);
    await store.close();
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
});

it("several processes migrating a new file at once apply each migration exactly once", async () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "scimkit-sqlite-migrate-"));
  try {
    const file = path.join(directory, "fresh.db");
    const worker = path.join(__dirname, "migrate-worker.ts");
    await Promise.all(
      [1, 2, 3].map(() => run(process.execPath, ["--import", "tsx", worker, file], { timeout: 120_000 })),
    );
    const database = new Database(file, { readonly: true });
    const rows = database
      .prepare("SELECT version, count(*) AS applied FROM schema_migrations GROUP BY version")
      .all() as {
      applied: number;
    }[];
    database.close();
    assert.ok(rows.length >= 1);
    for (const row of rows) assert.equal(row.applied, 1);
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
});

it("a write lock held too long by another connection is StoreUnavailableError, not a crash", async () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "scimkit-sqlite-busy-"));
  const file = path.join(directory, "busy.db");
  const store = new SqliteStore(file, { busyTimeoutMs: 100 });
  const other = new Database(file);
  try {
    await store.migrate();
    other.exec("BEGIN IMMEDIATE");
    await assert.rejects(
      store.create({ type: "User", document: { userName: "blocked" } }),
      (error: unknown) => error instanceof StoreUnavailableError && /locked|busy/i.test(error.message),
    );
    other.exec("ROLLBACK");
    await store.create({ type: "User", document: { userName: "unblocked" } });
  } finally {
    other.close();
    await store.close();
    fs.rmSync(directory, { recursive: true, force: true });
  }
});
