/**
 * `scimkit validate` against test doubles of vendor endpoints: a correct in-memory endpoint (every
 * check passes, nothing left behind) and deliberately broken ones (the right check fails by name).
 * The run against our own service is in validate-service.test.ts.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { planChecks, runValidation } from "../../src/client/validation";
import {
  BROKEN_SERVERS,
  type RunningEndpoint,
  startInMemoryScimEndpoint,
} from "../support/broken-servers/index";

const REPO_ROOT = path.resolve(__dirname, "..", "..");

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, "bin", "scimkit.js"), ...args], {
      cwd: REPO_ROOT,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("validate against a correct endpoint", () => {
  let endpoint: RunningEndpoint;
  before(async () => {
    endpoint = await startInMemoryScimEndpoint();
  });
  after(() => endpoint.close());

  it("passes every check in both dialects and leaves nothing behind", async () => {
    const report = await runValidation({
      url: endpoint.url,
      token: endpoint.token,
      dialects: ["default", "aadOptscim062020"],
      timeoutMs: 5000,
    });
    const failed = report.results.filter((result) => !result.passed);
    assert.deepEqual(failed, []);
    assert.equal(report.ok, true);
    assert.equal(report.summary.total, planChecks(["default", "aadOptscim062020"]).length);
    assert.ok(report.cleanup.deleted > 0);
    assert.deepEqual(report.cleanup.leftBehind, []);
    assert.equal(endpoint.resources.size, 0, "the endpoint still holds objects validate created");
  });

  it("sends requests the way Entra does: no User-Agent, scim+json bodies, + for spaces, the dialect flag", () => {
    assert.ok(endpoint.requests.length > 50);
    for (const request of endpoint.requests) {
      assert.equal(
        request.headers["user-agent"],
        undefined,
        `${request.method} ${request.url} has a User-Agent`,
      );
      if (request.body) assert.equal(request.headers["content-type"], "application/scim+json");
    }
    const testConnection = endpoint.requests.find((request) =>
      /\/Users\?filter=userName\+eq\+%22/.test(request.url),
    );
    assert.ok(testConnection, "no userName filter encoded with + for spaces");
    const groupMatch = endpoint.requests.find((request) =>
      request.url.includes("/Groups?excludedAttributes=members&filter="),
    );
    assert.ok(groupMatch, "group match must put excludedAttributes=members before the filter");
    const compliant = endpoint.requests.filter((request) => request.url.includes("aadOptscim062020"));
    assert.ok(compliant.some((request) => request.body.includes('"op":"replace"')));
    assert.ok(!compliant.some((request) => request.body.includes('"op":"Replace"')));
  });

  it("runs only the checks named by --only, in the dialects where they exist", async () => {
    const report = await runValidation({
      url: endpoint.url,
      token: endpoint.token,
      dialects: ["default", "aadOptscim062020"],
      only: ["rename-group", "disable-user-string-false"],
      timeoutMs: 5000,
    });
    assert.deepEqual(
      report.results.map((result) => `${result.id}/${result.dialect}`),
      ["disable-user-string-false/default", "rename-group/default", "rename-group/aadOptscim062020"],
    );
    assert.throws(
      () => planChecks(["default"], ["no-such-check"]),
      /unknown check "no-such-check".*test-connection-users/,
    );
    assert.throws(() => planChecks(["default"], ["remove-group-member-by-filter"]), /--dialect both/);
  });
});

describe("validate against broken endpoints", () => {
  for (const broken of BROKEN_SERVERS) {
    it(`fails ${broken.failingCheck} against an endpoint that ${broken.description}, and cleans up`, async () => {
      const endpoint = await broken.start();
      try {
        const report = await runValidation({
          url: endpoint.url,
          token: endpoint.token,
          dialects: ["default", "aadOptscim062020"],
          timeoutMs: 5000,
        });
        const failedIds = report.results.filter((result) => !result.passed).map((result) => result.id);
        assert.ok(failedIds.includes(broken.failingCheck), `failed checks: ${failedIds.join(", ")}`);
        assert.ok(failedIds.length <= 3, `one bug should not fail unrelated checks: ${failedIds.join(", ")}`);
        assert.equal(report.ok, false);
        const failure = report.results.find((result) => result.id === broken.failingCheck)?.failure;
        assert.ok(failure && failure.exchanges.length > 0, "a failure must carry the request and response");
        assert.equal(endpoint.resources.size, 0, "validate left objects behind after failing checks");
      } finally {
        await endpoint.close();
      }
    });
  }
});

describe("validate cleanup", () => {
  it("reports every object it could not delete, by name and id, and fails the run", async () => {
    const endpoint = await startInMemoryScimEndpoint({ refusesDeletes: true });
    try {
      const report = await runValidation({
        url: endpoint.url,
        token: endpoint.token,
        dialects: ["default"],
        only: ["add-group-members"],
        timeoutMs: 5000,
      });
      assert.equal(report.results[0].passed, true);
      assert.equal(report.ok, false, "a run that leaves objects behind must not exit 0");
      assert.equal(report.cleanup.leftBehind.length, 3); // the group and its two members
      assert.deepEqual(
        report.cleanup.leftBehind.map((left) => left.type),
        ["Group", "User", "User"],
        "groups are deleted before the users they contain",
      );
      for (const left of report.cleanup.leftBehind) {
        assert.match(left.name, /^scimkit-validate-[0-9a-f]{8}-/);
        assert.ok(left.id && endpoint.resources.has(left.id));
        assert.equal(left.reason, "DELETE answered 500");
      }
    } finally {
      await endpoint.close();
    }
  });
});

describe("scimkit validate (command)", () => {
  it("prints one line per check, the failing request and response with the token redacted, and exits 1", async () => {
    const endpoint = await startInMemoryScimEndpoint({
      notFoundOnEmptyFilter: true,
      echoesAuthorizationInErrors: true,
    });
    try {
      const { code, stdout } = await runCli([
        "validate",
        "--url",
        endpoint.url,
        "--token",
        endpoint.token,
        "--only",
        "test-connection-users,create-user",
      ]);
      assert.equal(code, 1);
      assert.match(stdout, /^FAIL {2}test-connection-users/m);
      assert.match(stdout, /^PASS {2}create-user/m);
      assert.match(stdout, /> GET http:\/\/127\.0\.0\.1:\d+\/scim\/Users\?filter=userName\+eq\+%22/);
      assert.match(stdout, /> Authorization: Bearer <redacted>/);
      assert.match(stdout, /< 404 Not Found/);
      assert.match(stdout, /you sent Bearer <redacted>/, "the echoed token must be redacted");
      assert.match(stdout, /2 checks: 1 passed, 1 failed/);
      assert.ok(!stdout.includes(endpoint.token), "the token appears in the output");
    } finally {
      await endpoint.close();
    }
  });

  it("--json prints a machine-readable report and exits 0 when everything passes", async () => {
    const endpoint = await startInMemoryScimEndpoint({ echoesAuthorizationInErrors: true });
    try {
      const { code, stdout } = await runCli([
        "validate",
        "--url",
        endpoint.url,
        "--token",
        endpoint.token,
        "--dialect",
        "default",
        "--json",
      ]);
      assert.equal(code, 0, stdout);
      const report = JSON.parse(stdout);
      assert.equal(report.ok, true);
      assert.equal(report.summary.failed, 0);
      assert.ok(report.results.every((result: { dialect: string }) => result.dialect === "default"));
      assert.ok(!stdout.includes(endpoint.token));
      assert.equal(endpoint.resources.size, 0);
    } finally {
      await endpoint.close();
    }
  });

  it("scimkit --help lists serve, validate and simulate with examples", async () => {
    const { code, stdout } = await runCli(["--help"]);
    assert.equal(code, 0);
    for (const command of ["serve", "validate", "simulate"])
      assert.match(stdout, new RegExp(`^  ${command}\\b`, "m"));
    assert.match(stdout, /Examples:\n(.*\n)*.*\$ scimkit validate --url/);
    const validateHelp = await runCli(["validate", "--help"]);
    assert.match(validateHelp.stdout, /remove-group-member-legacy/);
    assert.match(validateHelp.stdout, /Examples:/);
  });

  it("scimkit --version prints the version from package.json", async () => {
    const { code, stdout } = await runCli(["--version"]);
    assert.equal(code, 0);
    const { version } = JSON.parse(fs.readFileSync(path.join(__dirname, "../../package.json"), "utf8"));
    assert.equal(stdout.trim(), version);
  });

  it("rejects a bad --dialect with a message naming the choices", async () => {
    const { code, stderr } = await runCli([
      "validate",
      "--url",
      "http://127.0.0.1:9/scim",
      "--token",
      "x",
      "--dialect",
      "rfc",
    ]);
    assert.equal(code, 1);
    assert.match(stderr, /--dialect must be default, aadOptscim062020 or both \(got "rfc"\)/);
  });
});
