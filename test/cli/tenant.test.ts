import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import { runTenantInit, runTenantUp } from "../../src/cli/tenant";
import { createFakePulumi } from "../operations/support/fake-pulumi";

const repositoryRoot = join(__dirname, "..", "..");

function capture() {
  let text = "";
  return { write: (chunk: string) => (text += chunk), text: () => text };
}

describe("scimkit tenant init", () => {
  it("writes Pulumi.<stack>.yaml from the answers and refuses to overwrite it", async () => {
    const project = mkdtempSync(join(tmpdir(), "tenant-init-"));
    const output = capture();
    const set = [
      "customerTenantId=72f988bf-86f1-41af-91ab-2d7cd011db47",
      "subscriptionId=11111111-2222-3333-4444-555555555555",
      "notificationEmail=ops@fabrikam.com",
      "trial=true",
      "trialDomain=fabrikam.onmicrosoft.com",
    ];
    const written = await runTenantInit(
      "fabrikam-trial",
      { set, cwd: project, interactive: false },
      output.write,
    );
    assert.equal(written, join(project, "Pulumi.fabrikam-trial.yaml"));
    const config = readFileSync(written, "utf8");
    assert.match(config, /^ {2}scimkit:trial: true$/m);
    assert.match(config, /^ {2}scimkit:trialDomain: "fabrikam.onmicrosoft.com"$/m);
    assert.match(output.text(), /pulumi stack init fabrikam-trial/);
    await assert.rejects(
      runTenantInit("fabrikam-trial", { set, cwd: project, interactive: false }, output.write),
      /Pulumi\.fabrikam-trial\.yaml already exists: edit it with `pulumi config set --stack fabrikam-trial`, or pass --force/,
    );
  });

  it("refuses a stack name Pulumi would not accept", async () => {
    await assert.rejects(
      runTenantInit("../evil", { interactive: false }, () => {}),
      /stack name "\.\.\/evil" may only contain/,
    );
  });
});

describe("scimkit tenant up", () => {
  it("runs pulumi up on every stack, keeps going past a failure, and summarises", async () => {
    const fake = createFakePulumi({
      stacks: ["contoso", "fabrikam", "northwind"],
      failingStacks: ["fabrikam"],
    });
    const output = capture();
    const previous = process.env.PULUMI_EXECUTABLE;
    process.env.PULUMI_EXECUTABLE = fake.executable;
    try {
      const exitCode = await runTenantUp([], { all: true, parallel: 2 }, output.write);
      assert.equal(exitCode, 1);
    } finally {
      if (previous === undefined) delete process.env.PULUMI_EXECUTABLE;
      else process.env.PULUMI_EXECUTABLE = previous;
    }
    const ups = fake.invocations().filter((call) => call.argv[0] === "up");
    assert.deepEqual(ups.map((call) => call.argv).sort(), [
      ["up", "--yes", "--skip-preview", "--stack", "contoso", "--non-interactive"],
      ["up", "--yes", "--skip-preview", "--stack", "fabrikam", "--non-interactive"],
      ["up", "--yes", "--skip-preview", "--stack", "northwind", "--non-interactive"],
    ]);
    const text = output.text();
    assert.match(text, /^\[contoso\] Resources:$/m);
    assert.match(text, /^ {2}fabrikam {16}failed \(exit 1\)/m);
    assert.match(text, /│ {3}scimkit:notificationEmail must look like ops@contoso\.com/);
    assert.match(text, /^2 succeeded, 1 failed, 0 skipped$/m);
  });

  it("never runs more stacks at once than --parallel allows", async () => {
    const fake = createFakePulumi({ stacks: ["a", "b", "c", "d"], upMilliseconds: 300 });
    const previous = process.env.PULUMI_EXECUTABLE;
    process.env.PULUMI_EXECUTABLE = fake.executable;
    try {
      assert.equal(await runTenantUp(["a", "b", "c", "d"], { parallel: 2 }, () => {}), 0);
    } finally {
      if (previous === undefined) delete process.env.PULUMI_EXECUTABLE;
      else process.env.PULUMI_EXECUTABLE = previous;
    }
    // Judged from the fake's own start/end stamps of each run, not from how long the test took.
    const runs = fake.invocations().filter((call) => call.argv[0] === "up");
    assert.equal(runs.length, 4);
    const mostAtOnce = Math.max(
      ...runs.map(
        (run) =>
          runs.filter((other) => other.startedAt <= run.startedAt && other.endedAt! > run.startedAt).length,
      ),
    );
    assert.equal(mostAtOnce, 2);
  });

  it("without a Pulumi CLI, says how to get one", async () => {
    const previous = process.env.PULUMI_EXECUTABLE;
    process.env.PULUMI_EXECUTABLE = "/nonexistent/pulumi";
    try {
      await assert.rejects(
        runTenantUp([], { all: true }, () => {}),
        (error: Error) =>
          /is not installed or not on PATH: install it .* or set PULUMI_EXECUTABLE$/.test(error.message),
      );
    } finally {
      if (previous === undefined) delete process.env.PULUMI_EXECUTABLE;
      else process.env.PULUMI_EXECUTABLE = previous;
    }
  });

  it("is found on PATH by the real scimkit command, and --stop-on-failure skips the rest", async () => {
    const fake = createFakePulumi({ stacks: ["a", "b", "c"], failingStacks: ["a"], upMilliseconds: 50 });
    const run = promisify(execFile);
    const result = await run(
      process.execPath,
      [
        "--import",
        "tsx",
        join(repositoryRoot, "src/cli/main.ts"),
        "tenant",
        "up",
        "a",
        "b",
        "c",
        "--stop-on-failure",
      ],
      {
        env: { ...process.env, PATH: `${fake.directory}:${process.env.PATH}`, PULUMI_EXECUTABLE: "" },
        cwd: repositoryRoot,
      },
    ).catch((error: { code: number; stdout: string }) => error);
    assert.equal((result as { code?: number }).code, 1);
    assert.match(result.stdout, /^0 succeeded, 1 failed, 2 skipped$/m);
    assert.deepEqual(
      fake
        .invocations()
        .map((call) => call.argv.slice(0, 1).concat(call.argv[call.argv.indexOf("--stack") + 1])),
      [["up", "a"]],
    );
  });
});
