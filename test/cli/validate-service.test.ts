/**
 * `scimkit validate` against OUR service (the real HTTP server on a real port), on a temp SQLite file and
 * on PostgreSQL: every check passes in both dialects, and afterwards the store holds nothing validate
 * created. validate itself never imports the service; only this test wires the two together.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { FastifyInstance } from "fastify";
import { runValidation } from "../../src/client/validation";
import { buildServer } from "../../src/http/server";
import type { Store } from "../../src/store/contract";
import { openStore } from "../../src/store/index";
import { postgresSkipReason, sharedPostgres } from "../support/postgres";

const engines = [
  {
    name: "embedded SQLite",
    skip: undefined as string | undefined,
    async databaseUrl() {
      const directory = fs.mkdtempSync(path.join(os.tmpdir(), "scimkit-validate-"));
      return {
        url: `sqlite:${path.join(directory, "scimkit.db")}`,
        dispose: () => fs.rmSync(directory, { recursive: true, force: true }),
      };
    },
  },
  {
    name: "PostgreSQL",
    skip: postgresSkipReason(),
    async databaseUrl() {
      return { url: await (await sharedPostgres()).createDatabase("validate"), dispose: () => undefined };
    },
  },
];

for (const engine of engines) {
  describe(`validate against the scimkit service on ${engine.name}`, { skip: engine.skip }, () => {
    const token = `validate-${"x".repeat(40)}`;
    let store: Store;
    let app: FastifyInstance;
    let url: string;
    let dispose: () => void;

    before(async () => {
      const database = await engine.databaseUrl();
      dispose = database.dispose;
      store = await openStore(database.url);
      await store.migrate();
      app = buildServer({ store, tokens: [token] });
      await app.listen({ port: 0, host: "127.0.0.1" });
      url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/scim/v2`;
    });

    after(async () => {
      await app?.close();
      dispose?.();
    });

    it("passes every check in both dialects", async () => {
      const report = await runValidation({
        url,
        token,
        dialects: ["default", "aadOptscim062020"],
        timeoutMs: 10_000,
      });
      const failures = report.results
        .filter((result) => !result.passed)
        .map((result) => `${result.id} [${result.dialect}]: ${result.failure?.message}`);
      assert.deepEqual(failures, []);
      assert.equal(report.summary.failed, 0);
      assert.ok(report.summary.total >= 39);
      assert.equal(report.ok, true);
    });

    it("leaves nothing it created in the store", async () => {
      for (const type of ["User", "Group"] as const) {
        const { totalResults } = await store.query(type, { startIndex: 1, count: 0, includeMembers: false });
        assert.equal(totalResults, 0, `${type}s left behind`);
      }
    });
  });
}
