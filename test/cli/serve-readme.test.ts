/**
 * The README's quick start, run as written: `npm start` in a fresh copy of the project with no
 * configuration at all, then a call with the tenant URL and token it printed (what an admin pastes into
 * the Entra portal), then a second start that reuses the same token. Only PORT=0 is added, because tests
 * never take a fixed port.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { startService } from "../http/support/service-process";

const repository = path.resolve(__dirname, "..", "..");
const copy = fs.mkdtempSync(path.join(os.tmpdir(), "scimkit-readme-"));
after(() => fs.rmSync(copy, { recursive: true, force: true }));

/** The project as a clone has it: every tracked (and not ignored) file; no data/, no node_modules. */
function freshCopyOfTheProject(): void {
  const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], {
    cwd: repository,
    encoding: "utf8",
  })
    .split("\0")
    .filter((file) => file !== "" && fs.existsSync(path.join(repository, file)));
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    fs.copyFileSync(path.join(repository, file), path.join(copy, file));
  }
  // `npm ci` would install the same tree; linking the installed one keeps the test fast and offline.
  fs.symlinkSync(path.join(repository, "node_modules"), path.join(copy, "node_modules"), "dir");
}

function environmentWithoutScimkitSettings(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(SCIM_|DATABASE_|NODE_ENV$|PORT$|HOST$|npm_)/.test(key)) delete env[key];
  }
  return { ...env, PORT: "0" };
}

test("`npm start` with zero configuration serves the API and prints a tenant URL and token that work", async () => {
  freshCopyOfTheProject();
  const service = await startService("npm", ["start"], {
    cwd: copy,
    env: environmentWithoutScimkitSettings(),
  });
  let secondToken: string | undefined;
  try {
    assert.match(service.tenantUrl, /^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);
    assert.ok(service.printedToken, `the banner prints the development token:\n${service.output()}`);
    const token = service.printedToken;

    // Entra's Test Connection: a filter on a random userName must answer an empty ListResponse.
    const filter = encodeURIComponent('userName eq "5f0c5b6e-0d3f-4e53-9d8a-0a1f5b1d2c3e"');
    const response = await fetch(`${service.tenantUrl}/Users?filter=${filter}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(response.status, 200);
    assert.match(String(response.headers.get("content-type")), /^application\/scim\+json/);
    const body = (await response.json()) as { totalResults: number; Resources: unknown[] };
    assert.equal(body.totalResults, 0);
    assert.deepEqual(body.Resources, []);

    const unauthenticated = await fetch(`${service.tenantUrl}/Users`);
    assert.equal(unauthenticated.status, 401);

    const tokenFile = path.join(copy, "data", "scim-token");
    assert.equal(fs.readFileSync(tokenFile, "utf8").trim(), token);
    assert.equal(fs.statSync(tokenFile).mode & 0o777, 0o600);
    assert.equal(
      service.output().split(token).length - 1,
      1,
      "the token appears once: in the banner, never in a log line",
    );

    // Ctrl-C in a terminal signals the whole group (npm, sh, tsx, node). npm itself may die of the
    // signal; what matters is that the service drained and stopped cleanly.
    service.signal("SIGINT");
    const exit = await service.exited;
    assert.ok(exit.code === 0 || exit.signal === "SIGINT", `npm ended with ${JSON.stringify(exit)}`);
    assert.match(service.output(), /"msg":"stopped"/);

    const again = await startService("npm", ["start"], {
      cwd: copy,
      env: environmentWithoutScimkitSettings(),
    });
    secondToken = again.printedToken;
    again.signal("SIGTERM");
    await again.exited;
    assert.match(again.output(), /"msg":"stopped"/);
  } finally {
    service.signal("SIGKILL");
  }
  assert.equal(secondToken, service.printedToken, "the second start reuses the stored token");
});
