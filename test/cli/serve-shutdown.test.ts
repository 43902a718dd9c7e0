/**
 * Graceful shutdown of a real `scimkit serve` process (Container Apps sends SIGTERM before it stops a
 * replica): a request already in flight completes and is stored, new connections are refused, the
 * process exits 0. Also: production refuses to start without credentials.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { startService } from "../http/support/service-process";

const repository = path.resolve(__dirname, "..", "..");
const workDirectory = fs.mkdtempSync(path.join(os.tmpdir(), "scimkit-shutdown-"));
after(() => fs.rmSync(workDirectory, { recursive: true, force: true }));
const token = randomBytes(32).toString("base64url");

function serviceEnvironment(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    // A drain stuck on an idle keep-alive socket would end in exit 1 after this deadline.
    SCIM_SHUTDOWN_TIMEOUT_MS: "15000",
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PORT: "0",
    HOST: "127.0.0.1",
    SCIM_TOKENS: token,
    DATABASE_URL: `sqlite:${path.join(workDirectory, "scimkit.db")}`,
    ...extra,
  };
}

function startServe(extra: NodeJS.ProcessEnv = {}) {
  return startService(process.execPath, ["--import", "tsx", "src/cli/main.ts", "serve"], {
    cwd: repository,
    env: serviceEnvironment(extra),
  });
}

/**
 * Sends headers and, once the server has accepted them, the first part of a POST body; `inFlight` settles
 * then. `finish()` sends the rest and resolves with the answer.
 */
function startSlowPost(url: string, document: object) {
  const body = Buffer.from(JSON.stringify(document));
  // A keep-alive client, like Container Apps' ingress: its socket must not hold the shutdown open.
  const request = http.request(url, {
    agent: new http.Agent({ keepAlive: true }),
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/scim+json",
      "content-length": String(body.length),
      // The server answers "100 Continue" once it has parsed the headers: from then on the request is in
      // flight as far as the service knows, so the test can signal without guessing a delay.
      expect: "100-continue",
    },
  });
  const inFlight = new Promise<void>((resolve) => {
    request.on("continue", () => {
      request.write(body.subarray(0, 10));
      resolve();
    });
  });
  const answered = new Promise<{ status: number; body: string; connection?: string }>((resolve, reject) => {
    request.on("response", (response) => {
      let text = "";
      response.on("data", (chunk: Buffer) => {
        text += chunk.toString("utf8");
      });
      response.on("end", () =>
        resolve({ status: response.statusCode!, body: text, connection: response.headers.connection }),
      );
    });
    request.on("error", reject);
  });
  request.flushHeaders();
  return {
    inFlight,
    finish: () => {
      request.end(body.subarray(10));
      return answered;
    },
  };
}

describe("scimkit serve: graceful shutdown", () => {
  test("SIGTERM lets the in-flight request finish, refuses new connections, closes the store, exits 0", async () => {
    const service = await startServe();
    try {
      const userName = `drain-${randomBytes(4).toString("hex")}@contoso.com`;
      const inFlight = startSlowPost(`${service.tenantUrl}/Users`, {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
        userName,
      });
      await inFlight.inFlight;
      service.child.kill("SIGTERM");
      await waitFor(() => service.output().includes("shutting down"));

      await assert.rejects(
        fetch(`${service.tenantUrl}/Users`, { headers: { authorization: `Bearer ${token}` } }),
      );

      const answer = await inFlight.finish();
      assert.equal(answer.status, 201, answer.body);
      assert.equal(answer.connection, "close", "while draining, responses close their connection");
      const exit = await service.exited;
      assert.equal(exit.code, 0, service.output());
      assert.match(service.output(), /"msg":"stopped"/);

      const restarted = await startServe();
      try {
        const filter = encodeURIComponent(`userName eq "${userName}"`);
        const found = await fetch(`${restarted.tenantUrl}/Users?filter=${filter}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        assert.equal(
          ((await found.json()) as { totalResults: number }).totalResults,
          1,
          "the drained write was stored",
        );
        restarted.signal("SIGTERM");
        assert.equal((await restarted.exited).code, 0);
      } finally {
        restarted.signal("SIGKILL");
      }
    } finally {
      service.signal("SIGKILL");
    }
  });

  test("configured tokens are never printed", async () => {
    const service = await startServe();
    try {
      assert.equal(service.printedToken, undefined);
      assert.match(service.output(), /Accepting:\s+1 bearer token\(s\) from SCIM_TOKENS/);
      assert.ok(!service.output().includes(token));
      service.signal("SIGTERM");
      const exit = await service.exited;
      assert.deepEqual(exit, { code: 0, signal: null }, service.output());
    } finally {
      service.signal("SIGKILL");
    }
  });

  test("NODE_ENV=production without SCIM_TOKENS refuses to start, exit code non-zero, message names the fix", async () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "serve"], {
      cwd: repository,
      env: serviceEnvironment({ NODE_ENV: "production", SCIM_TOKENS: "" }),
      encoding: "utf8",
      timeout: 60_000,
    });
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /NODE_ENV=production but no credential is configured: set SCIM_TOKENS/);
    assert.doesNotMatch(result.stdout, /Tenant URL/);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
