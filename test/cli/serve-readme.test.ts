/**
 * The README's quick start, run as written: `npm start` in a fresh copy of the project with no
 * configuration at all, the README's curl line with the tenant URL's port and the token it printed (what an
 * admin pastes into the Entra portal), then the README's `SCIM_BASE_PATH=/api/v3/scim2 npm start`, which
 * reuses the same token. Only PORT=0 is added, because tests never take a fixed port. `npm ci` and
 * `npm test` are what CI runs (.ci/run).
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { type StartedService, startService } from "../http/support/service-process";

const repository = path.resolve(__dirname, "..", "..");
const readme = fs.readFileSync(path.join(repository, "README.md"), "utf8");
const copy = fs.mkdtempSync(path.join(os.tmpdir(), "scimkit-readme-"));
after(() => fs.rmSync(copy, { recursive: true, force: true }));

/** The README line that starts with `prefix`, so the test runs what the README says, not a paraphrase. */
function readmeCommand(prefix: string): string {
  const line = readme.split("\n").find((candidate) => candidate.startsWith(prefix));
  assert.ok(line, `README.md has no command line starting with ${JSON.stringify(prefix)}`);
  return line;
}

/** The project as a clone has it: every tracked (and not ignored) file; no data/, no node_modules. */
function freshCopyOfTheProject(): void {
  const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], {
    cwd: repository,
    encoding: "utf8",
  })
    .split("\0")
    // Regular files only: a node_modules symlink (as in a linked checkout) is not part of the project.
    .filter(
      (file) => file !== "" && fs.lstatSync(path.join(repository, file), { throwIfNoEntry: false })?.isFile(),
    );
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
    if (/^(SCIM_|DATABASE_|NODE_ENV$|PORT$|HOST$|TRUST_PROXY$|LOG_LEVEL$|npm_)/.test(key)) delete env[key];
  }
  return { ...env, PORT: "0" };
}

/** Runs the README's curl line against `tenantUrl` (its port and base path replace the README's). */
function runReadmeCurl(tenantUrl: string, token: string): { totalResults: number; Resources: unknown[] } {
  const line = readmeCommand("curl ");
  const command = line.replace("http://localhost:8080/scim/v2", tenantUrl);
  assert.notEqual(command, line, "the README's curl line calls http://localhost:8080/scim/v2");
  const output = execFileSync("sh", ["-c", command], {
    env: { ...process.env, TOKEN: token },
    encoding: "utf8",
  });
  return JSON.parse(output);
}

async function stopLikeATerminal(service: StartedService): Promise<void> {
  // Ctrl-C signals the whole group (npm, sh, node); npm itself may die of the signal. What matters is
  // that the service drained and stopped cleanly. (`npm start` once ran the tsx CLI, which relays a
  // signal to its node child and SIGKILLs it when the child has not confirmed within 2 × 30 ms — on a
  // busy CI machine the service was killed before it logged "stopped". It now runs bin/scimkit.js,
  // one process.)
  service.signal("SIGINT");
  const exit = await service.exited;
  assert.ok(exit.code === 0 || exit.signal === "SIGINT", `npm ended with ${JSON.stringify(exit)}`);
  assert.match(service.output(), /"msg":"stopped"/);
}

test("the README's quick start works: npm start with zero configuration, the curl line, a custom base path", async () => {
  assert.ok(readmeCommand("npm ci && npm start"));
  // The tsx CLI as a parent process SIGKILLs its child when the child's event loop is busy for 60 ms as
  // Ctrl-C arrives (see stopLikeATerminal); `npm start` must run the service in one node process.
  const { scripts } = JSON.parse(fs.readFileSync(path.join(repository, "package.json"), "utf8"));
  assert.match(scripts.start, /^node /, "npm start runs node itself, not a supervising wrapper");
  assert.ok(readmeCommand("npm test"));
  freshCopyOfTheProject();

  const service = await startService("npm", ["start"], {
    cwd: copy,
    env: environmentWithoutScimkitSettings(),
  });
  let token: string;
  try {
    assert.match(service.tenantUrl, /^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);
    assert.ok(service.printedToken, `the banner prints the development token:\n${service.output()}`);
    token = service.printedToken;

    const list = runReadmeCurl(service.tenantUrl, token);
    assert.equal(list.totalResults, 0);
    assert.deepEqual(list.Resources, []);
    const unauthenticated = await fetch(`${service.tenantUrl}/Users`);
    assert.equal(unauthenticated.status, 401);

    const tokenFile = path.join(copy, "data", "scim-token");
    assert.equal(fs.readFileSync(tokenFile, "utf8").trim(), token);
    assert.equal(fs.statSync(tokenFile).mode & 0o777, 0o600);
    assert.ok(fs.existsSync(path.join(copy, "data", "scimkit.db")), "the embedded database lives in ./data");
    assert.equal(
      service.output().split(token).length - 1,
      1,
      "the token appears once: in the banner, never in a log line",
    );
    await stopLikeATerminal(service);
  } finally {
    service.signal("SIGKILL");
  }

  const customBasePath = readmeCommand("SCIM_BASE_PATH=/api/v3/scim2 npm start");
  const again = await startService("sh", ["-c", customBasePath], {
    cwd: copy,
    env: environmentWithoutScimkitSettings(),
  });
  try {
    assert.match(again.tenantUrl, /\/api\/v3\/scim2$/);
    assert.equal(again.printedToken, token, "a later start reuses the stored token");
    const list = runReadmeCurl(again.tenantUrl, token);
    assert.equal(list.totalResults, 0);
    await stopLikeATerminal(again);
  } finally {
    again.signal("SIGKILL");
  }
});
