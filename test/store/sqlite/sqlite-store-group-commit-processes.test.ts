/**
 * Group commit across processes: two processes each run batches of read-modify-writes on the same
 * row of one SQLite file. BEGIN IMMEDIATE serialises the batches; inside a batch each update sees the
 * previous one. No increment may be lost.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { it } from "node:test";
import { promisify } from "node:util";
import { SqliteStore } from "../../../src/store/sqlite/sqlite-store";

const run = promisify(execFile);

it("batched read-modify-writes from two processes on one file never lose an increment", async () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "scimkit-sqlite-batched-processes-"));
  try {
    const file = path.join(directory, "shared.db");
    const store = new SqliteStore(file);
    await store.migrate();
    const user = await store.create({ type: "User", document: { userName: "counter", counter: 0 } });
    const worker = path.join(__dirname, "batched-counter-worker.ts");
    const outputs = await Promise.all(
      [1, 2].map(() =>
        run(process.execPath, ["--import", "tsx", worker, file, user.id, "160"], { timeout: 120_000 }),
      ),
    );
    for (const { stdout } of outputs) {
      const batches = JSON.parse(stdout) as number[];
      assert.equal(
        batches.reduce((sum, writes) => sum + writes, 0),
        160,
      );
      assert.ok(Math.max(...batches) > 1, `each process batched its writes (batches: ${stdout})`);
    }
    const final = await store.get("User", user.id, { includeMembers: false });
    assert.equal(final?.document["counter"], 320);
    assert.equal(final?.version, 321);
    await store.close();
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
});
