/**
 * `scimkit simulate` on a small N against OUR service (real HTTP server, temp SQLite file): the report's
 * totals match what the store ends up holding, with no errors.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { FastifyInstance } from "fastify";
import { OPERATION, runSimulation } from "../../src/client/simulation/simulation";
import { buildServer } from "../../src/http/server";
import type { FilterNode } from "../../src/scim/filter/ast";
import type { Store } from "../../src/store/contract";
import { openStore } from "../../src/store/index";

describe("simulate against the scimkit service", () => {
  const token = `simulate-${"y".repeat(40)}`;
  let directory: string;
  let store: Store;
  let app: FastifyInstance;
  let url: string;

  before(async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), "scimkit-simulate-"));
    store = await openStore(`sqlite:${path.join(directory, "scimkit.db")}`);
    app = buildServer({ store, tokens: [token] });
    await app.listen({ port: 0, host: "127.0.0.1" });
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/scim/v2`;
  });

  after(async () => {
    await app.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  for (const dialect of ["default", "aadOptscim062020"] as const) {
    it(`replays 120 users and 4 groups × 30 members without errors (${dialect})`, async () => {
      const report = await runSimulation({
        url,
        token,
        users: 120,
        groups: 4,
        membersPerGroup: 30,
        concurrency: 8,
        memberBatchSize: 10,
        dialect,
        timeoutMs: 10_000,
        keep: true,
      });
      assert.deepEqual(report.errorsByStatus, {}, JSON.stringify(report.errorExamples));
      const counts = Object.fromEntries(report.operations.map((op) => [op.operation, op.count]));
      assert.equal(counts[OPERATION.createUser], 120);
      assert.equal(counts[OPERATION.createGroup], 4);
      assert.equal(counts[OPERATION.patchGroup], 4 * 3 + 4 * 2);
      assert.equal(counts[OPERATION.deleteUser], 2); // users 3 and 103
      assert.equal(
        report.totals.requests,
        report.operations.reduce((sum, op) => sum + op.count, 0),
      );

      // What the store holds must be what the cycles did: 118 users (3 and 103 deleted), user 2 disabled
      // then re-enabled, user 52 disabled; group g started with users 30g…30g+29, lost its first, gained
      // user 30g+30, and groups 0 and 3 also lost the deleted users 3 and 103.
      const prefix = `scimkit-simulate-${report.runId}-`;
      const users = await store.query("User", {
        filter: startsWith("userName", prefix),
        startIndex: 1,
        count: 1000,
        includeMembers: false,
      });
      assert.equal(users.totalResults, 118);
      const byName = new Map(users.resources.map((user) => [String(user.document.userName), user.document]));
      assert.equal(byName.get(`${prefix}user2@scimkit.invalid`)?.active, true);
      assert.equal(byName.get(`${prefix}user52@scimkit.invalid`)?.active, false);
      assert.equal(byName.has(`${prefix}user3@scimkit.invalid`), false);
      const groups = await store.query("Group", {
        filter: startsWith("displayName", prefix),
        startIndex: 1,
        count: 10,
        includeMembers: true,
      });
      assert.equal(groups.totalResults, 4);
      const expectedMembers: Record<string, number> = { group0: 29, group1: 30, group2: 30, group3: 29 };
      for (const group of groups.resources) {
        const name = String(group.document.displayName).slice(prefix.length);
        assert.equal(group.members?.length, expectedMembers[name], `${name} members`);
      }
    });
  }
});

/** `<attribute> sw "<prefix>"` on a case-insensitive string attribute, as the protocol layer parses it. */
function startsWith(attribute: string, prefix: string): FilterNode {
  return {
    kind: "compare",
    path: { attribute },
    op: "sw",
    value: prefix,
    traits: { type: "string", caseExact: false, multiValued: false },
  };
}
