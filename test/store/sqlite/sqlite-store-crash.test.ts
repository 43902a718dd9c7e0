/**
 * Acknowledged ⇒ durable under group commit: a process writing through SqliteStore is killed with
 * SIGKILL in the middle of a burst of batched writes; every create it had acknowledged must be in the
 * file afterwards, and the file must be intact. (kill -9 does not test power loss: that is what
 * synchronous=FULL is for, see sqlite-store.ts.)
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { it } from "node:test";
import Database from "better-sqlite3";

const ACKNOWLEDGED_BEFORE_KILL = 400;

it("every create acknowledged before a SIGKILL mid-burst is in the file afterwards", async () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "scimkit-sqlite-crash-"));
  try {
    const file = path.join(directory, "crash.db");
    const child = spawn(
      process.execPath,
      ["--import", "tsx", path.join(__dirname, "burst-worker.ts"), file, "burst"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    const acknowledged: string[] = [];
    const commitSizes: number[] = [];
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    let buffered = "";
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
      child.on("exit", (code, signal) => resolve(signal ?? code)),
    );
    child.stdout.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop()!;
      for (const line of lines) {
        const [kind, value] = line.split(" ") as [string, string];
        if (kind === "ack") acknowledged.push(value);
        else if (kind === "commit") commitSizes.push(Number(value));
      }
      if (acknowledged.length >= ACKNOWLEDGED_BEFORE_KILL && child.exitCode === null) child.kill("SIGKILL");
    });
    const timeout = setTimeout(() => child.kill("SIGKILL"), 120_000);
    const ended = await exited;
    clearTimeout(timeout);
    assert.equal(ended, "SIGKILL", `the worker ended by itself:\n${stderr}`);
    assert.ok(
      acknowledged.length >= ACKNOWLEDGED_BEFORE_KILL,
      `only ${acknowledged.length} acks before the end:\n${stderr}`,
    );
    assert.ok(
      commitSizes.some((writes) => writes > 1),
      `the burst was never batched (commit sizes ${commitSizes.slice(0, 20).join(", ")})`,
    );

    const database = new Database(file);
    try {
      assert.equal(database.pragma("integrity_check", { simple: true }), "ok");
      const stored = new Set(
        (database.prepare("SELECT name FROM resources WHERE type = 'User'").all() as { name: string }[]).map(
          (row) => row.name,
        ),
      );
      const lost = acknowledged.filter((userName) => !stored.has(userName));
      assert.deepEqual(lost, [], `${lost.length} of ${acknowledged.length} acknowledged creates lost`);
    } finally {
      database.close();
    }
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
});
