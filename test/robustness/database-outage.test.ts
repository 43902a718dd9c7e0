/**
 * The database goes away under a running replica (Azure PostgreSQL restarts for maintenance or fails
 * over): every SCIM call answers 503 with a SCIM error body — Entra retries those later instead of
 * escrowing the object as bad data — `/readyz` fails so Container Apps stops routing to the replica,
 * `/healthz` stays 200 so it is not restarted, the process does not crash, and when the database is
 * back the same process serves again without a restart. Issue #3, "Graceful operation".
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type PostgresServer, postgresSkipReason, startPostgres } from "../support/postgres";
import { type ServiceProcess, startServiceProcess } from "../support/server-process";
import { postgresDatabase, type TestDatabase } from "./support/engines";
import { GROUP_SCHEMA, newUser, patchOf, scimErrorProblem, scimRequest } from "./support/scim-client";

describe("PostgreSQL outage under a running service", { skip: postgresSkipReason() }, () => {
  let cluster: PostgresServer;
  let database: TestDatabase;
  let service: ServiceProcess;

  before(async () => {
    // A cluster of its own: this test stops it.
    cluster = await startPostgres();
    database = await postgresDatabase(cluster, "outage");
    // A short request timeout keeps the test fast if a call hangs on a dead connection instead of failing.
    service = await startServiceProcess({
      databaseUrl: database.url,
      env: { SCIM_REQUEST_TIMEOUT_MS: "5000" },
    });
  });

  after(async () => {
    await service?.stop();
    await cluster?.destroy();
  });

  test("database stopped → 503 SCIM errors and failing /readyz, no crash; database back → serving again without restart", async (t) => {
    if (!cluster.controllable)
      return t.skip("SCIMKIT_TEST_POSTGRES_URL names a server this test cannot stop");
    const before = await scimRequest(
      service,
      "POST",
      "/Users",
      newUser(`before-outage-${Date.now()}@contoso.example`),
    );
    assert.equal(before.status, 201, before.text);
    const userId = (before.body as { id: string }).id;

    await cluster.stop();
    try {
      const calls = [
        () => scimRequest(service, "GET", `/Users/${userId}`),
        () => scimRequest(service, "GET", `/Users?filter=${encodeURIComponent('userName eq "x"')}`),
        () => scimRequest(service, "POST", "/Users", newUser(`during-outage-${Date.now()}@contoso.example`)),
        () =>
          scimRequest(
            service,
            "PATCH",
            `/Users/${userId}`,
            patchOf({ op: "Replace", path: "active", value: "False" }),
          ),
        () =>
          scimRequest(service, "POST", "/Groups", {
            schemas: [GROUP_SCHEMA],
            displayName: `outage-${Date.now()}`,
          }),
        () => scimRequest(service, "DELETE", `/Users/${userId}`),
      ];
      for (const call of calls) {
        const response = await call();
        assert.equal(response.status, 503, response.text);
        assert.equal(scimErrorProblem(503, response.body), undefined, response.text);
        assert.match(response.contentType, /^application\/scim\+json/);
      }
      const ready = await fetch(`${service.origin}/readyz`);
      assert.equal(ready.status, 503, await ready.text());
      const state = await Promise.race([service.exited.then(() => "exited"), Promise.resolve("running")]);
      assert.equal(state, "running", "the service process died when the database went away");
      const healthy = await fetch(`${service.origin}/healthz`);
      assert.equal(
        healthy.status,
        200,
        "liveness must not fail because the database is down (that would restart the replica)",
      );
    } finally {
      await cluster.start();
    }

    // Recovery: the pool reconnects by itself; give it a few seconds.
    const deadline = Date.now() + 30_000;
    let last = "";
    for (;;) {
      const ready = await fetch(`${service.origin}/readyz`);
      last = `${ready.status} ${await ready.text()}`;
      if (ready.status === 200) break;
      assert.ok(Date.now() < deadline, `/readyz still failing 30 s after the database came back: ${last}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const read = await scimRequest(service, "GET", `/Users/${userId}`);
    assert.equal(read.status, 200, read.text);
    assert.equal(
      (read.body as { active?: boolean }).active,
      true,
      "the PATCH answered 503 must not have been applied",
    );
    const created = await scimRequest(
      service,
      "POST",
      "/Users",
      newUser(`after-outage-${Date.now()}@contoso.example`),
    );
    assert.equal(created.status, 201, created.text);
    assert.equal(service.output().includes(service.token), false, "the bearer token must not reach the logs");
    assert.deepEqual(await database.consistencyProblems(), []);
  });
  test("database restarted in the middle of a write burst: only 2xx or 503 answers, nothing acknowledged is lost, recovery by itself", async (t) => {
    if (!cluster.controllable)
      return t.skip("SCIMKIT_TEST_POSTGRES_URL names a server this test cannot stop");
    const stamp = Date.now();
    const acknowledged = new Map<string, string>(); // userName → id
    const unexpected: string[] = [];
    let answered503 = 0;
    let stop = false;
    const writer = async (worker: number) => {
      for (let sequence = 0; !stop; sequence++) {
        const userName = `blip-${worker}-${sequence}-${stamp}@contoso.example`;
        const response = await scimRequest(service, "POST", "/Users", newUser(userName));
        if (response.status === 201) acknowledged.set(userName, (response.body as { id: string }).id);
        else if (response.status === 503 && !scimErrorProblem(503, response.body)) {
          answered503++;
          await new Promise((resolve) => setTimeout(resolve, 50)); // as a client backs off
        } else unexpected.push(`${response.status} ${response.text.slice(0, 200)}`);
      }
    };
    const writers = Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map(writer));
    await waitUntil(() => acknowledged.size >= 100, "100 writes before the restart");
    // Fast shutdown: PostgreSQL aborts open transactions and closes every connection of the pool.
    await cluster.stop();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await cluster.start();
    const atRestart = acknowledged.size;
    await waitUntil(() => acknowledged.size >= atRestart + 100, "100 writes after the database came back");
    stop = true;
    await writers;

    assert.deepEqual(
      unexpected.slice(0, 5),
      [],
      `${unexpected.length} answers other than 201 or a 503 SCIM error`,
    );
    for (const [userName, id] of acknowledged) {
      const read = await scimRequest(service, "GET", `/Users/${id}`);
      assert.equal(read.status, 200, `${userName} was acknowledged but is gone: ${read.text}`);
      assert.equal((read.body as { userName: string }).userName, userName);
    }
    assert.deepEqual(await database.consistencyProblems(), []);
    console.log(
      `database restart under load: ${acknowledged.size} creates acknowledged, ${answered503} answered 503 while it was down, 0 lost`,
    );
  });
});

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
