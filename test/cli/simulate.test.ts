/**
 * `scimkit simulate` on a small N against an in-memory endpoint: the exact request counts of Entra's
 * initial and incremental cycles, no errors, progress, and nothing left behind. The run against our
 * own service is in simulate-service.test.ts.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { describe, it } from "node:test";
import { interleave, OPERATION, runSimulation } from "../../src/client/simulation/simulation";
import { startInMemoryScimEndpoint } from "../support/broken-servers/index";

const REPO_ROOT = path.resolve(__dirname, "..", "..");

/**
 * 20 users, 3 groups × 5 members, 2 members per PATCH. Hand-counted from the cycle description:
 * incremental updates users 1 and 11 (index % 10 = 1), disables and re-enables user 2, deletes user 3.
 */
const EXPECTED_COUNTS: Record<string, number> = {
  [OPERATION.testConnection]: 4, // Users + Groups, at the start of each cycle
  [OPERATION.matchUser]: 20 + 2 + 1 + 1 + 1,
  [OPERATION.createUser]: 20,
  [OPERATION.patchUser]: 2 + 1 + 1,
  [OPERATION.deleteUser]: 1,
  [OPERATION.matchGroup]: 3,
  [OPERATION.createGroup]: 3,
  [OPERATION.patchGroup]: 3 * 3 + 3 * 2, // ceil(5/2) adds per group, then one remove + one add per group
  [OPERATION.getGroup]: 3,
};

describe("simulate", () => {
  for (const dialect of ["default", "aadOptscim062020"] as const) {
    it(`replays both cycles with the expected requests and no errors (${dialect})`, async () => {
      const endpoint = await startInMemoryScimEndpoint();
      const progress: string[] = [];
      try {
        const report = await runSimulation({
          url: endpoint.url,
          token: endpoint.token,
          users: 20,
          groups: 3,
          membersPerGroup: 5,
          concurrency: 4,
          memberBatchSize: 2,
          dialect,
          timeoutMs: 5000,
          onProgress: (update) => progress.push(`${update.phase} ${update.done}/${update.total}`),
        });
        const counts = Object.fromEntries(report.operations.map((op) => [op.operation, op.count]));
        assert.deepEqual(counts, EXPECTED_COUNTS);
        const expectedTotal = Object.values(EXPECTED_COUNTS).reduce((sum, count) => sum + count, 0);
        assert.equal(report.totals.requests, expectedTotal);
        assert.equal(report.totals.errors, 0, JSON.stringify(report.errorExamples));
        assert.deepEqual(report.errorsByStatus, {});
        assert.ok(report.totals.perSecond > 0);
        assert.ok(
          report.operations.every(
            (op) => op.p50Ms <= op.p95Ms && op.p95Ms <= op.p99Ms && op.p99Ms <= op.maxMs,
          ),
        );
        assert.deepEqual(
          report.phases.map((phase) => phase.phase),
          ["initial: users", "initial: groups", "incremental: changes", "incremental: re-enables"],
        );
        assert.ok(progress.includes("initial: users 20/20"), progress.join("\n"));
        assert.deepEqual(report.cleanup, { deleted: 22, failed: 0, seconds: report.cleanup?.seconds });
        assert.equal(endpoint.resources.size, 0, "simulate left objects behind");
        assert.ok(
          endpoint.connections() <= 4,
          `keep-alive: ${endpoint.connections()} connections for concurrency 4`,
        );
        const patches = endpoint.requests
          .filter((request) => request.method === "PATCH")
          .map((request) => request.body);
        if (dialect === "default") {
          assert.ok(
            patches.some((body) => body.includes('{"op":"Remove","path":"members","value":[{"value":')),
          );
          assert.ok(patches.some((body) => body.includes('"value":"False"')));
        } else {
          assert.ok(patches.some((body) => body.includes('"path":"members[value eq ')));
          assert.ok(patches.some((body) => body.includes('"value":false')));
        }
      } finally {
        await endpoint.close();
      }
    });
  }

  it("counts failed requests by status instead of stopping", async () => {
    const endpoint = await startInMemoryScimEndpoint({ rejectsStringBooleans: true });
    try {
      const report = await runSimulation({
        url: endpoint.url,
        token: endpoint.token,
        users: 20,
        groups: 0,
        membersPerGroup: 0,
        concurrency: 2,
        memberBatchSize: 10,
        dialect: "default",
        timeoutMs: 5000,
      });
      assert.deepEqual(report.errorsByStatus, { "400": 2 }); // the disable and the re-enable of user 2
      assert.equal(report.totals.errors, 2);
      assert.match(report.errorExamples["400"], /PATCH \/Users\/\{id\} .*not a boolean/);
      assert.equal(endpoint.resources.size, 0);
    } finally {
      await endpoint.close();
    }
  });

  it("rejects parameters out of bounds with the option's name", async () => {
    await assert.rejects(
      runSimulation({
        url: "http://127.0.0.1:9/scim",
        token: "t",
        users: 10,
        groups: 1,
        membersPerGroup: 11,
        concurrency: 1,
        memberBatchSize: 1,
        dialect: "default",
        timeoutMs: 1000,
      }),
      /--members must be a whole number from 0 to 10 \(got 11\)/,
    );
  });

  it("interleaves the kinds of incremental change", () => {
    assert.deepEqual(interleave<number | string>([[1, 2, 3], ["a"], ["b", "c"]]), [1, "a", "b", 2, "c", 3]);
  });

  it("scimkit simulate --json prints the report and exits 0", async () => {
    const endpoint = await startInMemoryScimEndpoint({ echoesAuthorizationInErrors: true });
    try {
      const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          [
            path.join(REPO_ROOT, "bin", "scimkit.js"),
            "simulate",
            ...[
              "--url",
              endpoint.url,
              "--token",
              endpoint.token,
              "--users",
              "10",
              "--groups",
              "2",
              "--members",
              "3",
            ],
            "--json",
          ],
          { cwd: REPO_ROOT },
        );
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk) => (stdout += chunk));
        child.stderr.on("data", (chunk) => (stderr += chunk));
        child.on("close", (code) => resolve({ code, stdout, stderr }));
      });
      assert.equal(result.code, 0, result.stderr);
      const report = JSON.parse(result.stdout);
      assert.equal(report.parameters.users, 10);
      assert.equal(report.totals.errors, 0);
      assert.match(result.stderr, /initial: users: 10\/10 \(100%\)/);
      assert.ok(!result.stdout.includes(endpoint.token) && !result.stderr.includes(endpoint.token));
      assert.equal(endpoint.resources.size, 0);
    } finally {
      await endpoint.close();
    }
  });
});
