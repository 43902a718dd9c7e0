/**
 * The README's "Validate an endpoint" section stays true: its `npx scimkit validate` and
 * `npx scimkit simulate` lines run as written (only the URL is swapped for a service on port 0, and
 * TOKEN is set) and exit 0, and its sample output lists exactly the checks validate runs today.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { FastifyInstance } from "fastify";
import { planChecks } from "../../src/client/validation";
import { buildServer } from "../../src/http/server";
import { openStore } from "../../src/store/index";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const README_URL = "http://127.0.0.1:8080/scim/v2";

function validateSection(): string {
  const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
  const start = readme.indexOf("\n## Validate an endpoint\n");
  assert.ok(start >= 0, 'README has no "## Validate an endpoint" section');
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

function runShell(
  command: string,
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn("sh", ["-c", command], { cwd: REPO_ROOT, env: { ...process.env, ...env } });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("close", (code) => resolve({ code, output }));
  });
}

describe("README: Validate an endpoint", () => {
  const token = `readme-${"z".repeat(40)}`;
  let directory: string;
  let app: FastifyInstance;
  let url: string;

  before(async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), "scimkit-readme-"));
    const store = await openStore(`sqlite:${path.join(directory, "scimkit.db")}`);
    app = buildServer({ store, tokens: [token] });
    await app.listen({ port: 0, host: "127.0.0.1" });
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/scim/v2`;
  });

  after(async () => {
    await app.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it("its commands run as written and succeed", async () => {
    const commands = validateSection()
      .split("\n")
      .filter((line) => /^npx scimkit (validate|simulate) /.test(line));
    assert.equal(commands.length, 2, "expected one validate and one simulate command");
    for (const command of commands) {
      assert.ok(command.includes(README_URL), `${command} should use ${README_URL}`);
      const { code, output } = await runShell(command.replace(README_URL, url), { TOKEN: token });
      assert.equal(code, 0, `${command}\n${output}`);
      assert.ok(!output.includes(token), "the token appeared in the output");
    }
  });

  it("its sample output lists exactly the checks validate runs", () => {
    const listed = [...validateSection().matchAll(/^PASS {2}(\S+)( \[\w+\])?/gm)]
      .slice(0, planChecks(["default", "aadOptscim062020"]).length + 1)
      .map((match) => `${match[1]}${match[2] ?? ""}`);
    const expected = planChecks(["default", "aadOptscim062020"]).map(({ check, dialect }) =>
      check.scope === "once" ? check.id : `${check.id} [${dialect}]`,
    );
    assert.deepEqual(listed.slice(0, expected.length), expected);
  });
});
