import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { it } from "node:test";
import { promisify } from "node:util";
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
