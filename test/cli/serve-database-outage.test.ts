/**
 * A real `scimkit serve` on PostgreSQL whose database is down — at start-up, and again while serving
 * (Azure Database for PostgreSQL restarts for maintenance, fails over, …): the process starts and stays
 * up, SCIM calls get 503 SCIM errors, /readyz fails while /healthz answers, and everything recovers
 * when the database returns, without a restart.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { after, describe, test } from "node:test";
import { startService } from "../http/support/service-process";
import { type PostgresServer, postgresSkipReason, startPostgres } from "../support/postgres";

const repository = path.resolve(__dirname, "..", "..");
const skip = postgresSkipReason();
const token = randomBytes(32).toString("base64url");
let postgres: PostgresServer | undefined;
after(async () => postgres?.destroy());

async function status(
  url: string,
  withToken = true,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, withToken ? { headers: { authorization: `Bearer ${token}` } } : {});
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("the service did not recover in time");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("scimkit serve: database outage", { skip }, () => {
  test("starts while PostgreSQL is down, answers 503 SCIM errors, recovers without a restart, twice", async (context) => {
    postgres = await startPostgres();
    if (!postgres.controllable) {
      context.skip("SCIMKIT_TEST_POSTGRES_URL points at a server this test cannot stop");
      return;
    }
    const databaseUrl = await postgres.createDatabase("serve_outage");
    await postgres.stop();

    const service = await startService(process.execPath, ["--import", "tsx", "src/cli/main.ts", "serve"], {
      cwd: repository,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PORT: "0",
        HOST: "127.0.0.1",
        SCIM_TOKENS: token,
        DATABASE_URL: databaseUrl,
      },
    });
    try {
      const origin = new URL(service.tenantUrl).origin;
      const users = await status(`${service.tenantUrl}/Users`);
      assert.equal(users.status, 503);
      assert.equal(users.body.status, "503");
      assert.deepEqual(users.body.schemas, ["urn:ietf:params:scim:api:messages:2.0:Error"]);
      assert.equal((await status(`${origin}/readyz`, false)).status, 503);
      assert.equal((await status(`${origin}/healthz`, false)).status, 200);

      await postgres.start();
      await eventually(async () => (await status(`${origin}/readyz`, false)).status === 200);
      const created = await fetch(`${service.tenantUrl}/Users`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" },
        body: JSON.stringify({
          schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
          userName: "after-outage@contoso.com",
        }),
      });
      assert.equal(created.status, 201, "migrations ran once the database came back");

      await postgres.stop();
      assert.equal((await status(`${service.tenantUrl}/Users`)).status, 503);
      assert.equal((await status(`${origin}/readyz`, false)).status, 503);
      await postgres.start();
      await eventually(async () => (await status(`${service.tenantUrl}/Users`)).status === 200);
      assert.equal(service.child.exitCode, null, "the process never crashed");
      assert.ok(!service.output().includes(token));

      service.signal("SIGTERM");
      assert.equal((await service.exited).code, 0, service.output());
    } finally {
      service.signal("SIGKILL");
    }
  });
});
