/**
 * The README's "Operating many tenants" section, run as written: each `scimkit …` and `pulumi stack
 * output …` line of its shell blocks runs through a shell with `scimkit` (bin/scimkit.js) and a stand-in
 * `pulumi` first on PATH, against the Graph simulator, a local ARM stand-in and the real SCIM service,
 * and its output must match the README's example output (ids and times aside).
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { createGraphClient, type GraphClient } from "../../infra/graph/client";
import { trialProvider } from "../../infra/trial/trial-provider";
import type { TrialReport } from "../../infra/trial/trial-run";
import { type GraphSimulator, startGraphSimulator } from "../support/graph-simulator";
import { createOperationsExtension } from "../support/graph-simulator/operations-routes";
import { type ArmStandIn, startArmStandIn } from "./support/arm-stand-in";
import { createFakePulumi, type FakePulumi } from "./support/fake-pulumi";
import { provisionTestUsersOnDemand, quarantineJob } from "./support/job-scenarios";
import { createProvisionedApp, type ProvisionedApp } from "./support/provisioned-app";
import { type LocalScimService, startLocalScimService } from "./support/scim-service";

const repositoryRoot = join(__dirname, "..", "..");
const readme = readFileSync(join(repositoryRoot, "README.md"), "utf8");
const section = readme.slice(readme.indexOf("## Operating many tenants"));
const sectionText = section.slice(
  0,
  section.indexOf("\n## ", 5) === -1 ? undefined : section.indexOf("\n## ", 5),
);
const SUBSCRIPTION = "11111111-2222-3333-4444-555555555555";

/** The fenced blocks of the section, in order. */
const blocks = [...sectionText.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((match) => ({
  language: match[1],
  body: match[2],
}));
const commands = blocks
  .filter((block) => block.language === "sh")
  .flatMap((block) => block.body.split("\n"))
  .filter((line) => line.startsWith("scimkit ") || line.startsWith("pulumi stack output"));
const command = (prefix: string) => {
  const line = commands.find((candidate) => candidate.startsWith(prefix));
  assert.ok(line, `the README shows a \`${prefix}…\` command`);
  return line;
};
const example = (firstLine: string) => {
  const block = blocks.find((candidate) => candidate.body.startsWith(firstLine));
  assert.ok(block, `the README shows output starting with "${firstLine}"`);
  return block.body;
};

/** Ids, job ids and times differ from run to run; everything else must be what the README says. */
function normalise(text: string): string {
  return text
    .replace(/scim\.[0-9a-f]{32}\.[0-9a-f]{32}/g, "<job>")
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<id>")
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, "<time>")
    .replace(/in \d+ s$/gm, "in <n> s")
    .trimEnd();
}

let graphSimulator: GraphSimulator;
let arm: ArmStandIn;
let service: LocalScimService;
let graph: GraphClient;
let fakePulumi: FakePulumi;
let contoso: ProvisionedApp;
let contosoTrial: { outs: { report: TrialReport } & Record<string, unknown> };
const workDirectory = mkdtempSync(join(tmpdir(), "readme-operating-"));
const savedEnvironment = { ...process.env };

before(async () => {
  service = await startLocalScimService();
  const operations = createOperationsExtension();
  graphSimulator = await startGraphSimulator({ extraRoutes: operations.routes, onContractAbsent: () => {} });
  arm = await startArmStandIn();
  Object.assign(process.env, graphSimulator.environment(), {
    SCIMKIT_GRAPH_RETRY_BASE_MS: "50",
    SCIMKIT_ARM_ENDPOINT: arm.endpoint,
    SCIMKIT_ARM_TOKEN: arm.token,
  });
  graph = createGraphClient();
  const scim = { baseUrl: service.baseUrl, token: service.token };
  contoso = await createProvisionedApp(graph, scim, "scimkit-contoso");
  const fabrikam = await createProvisionedApp(graph, scim, "scimkit-fabrikam");
  const northwind = await createProvisionedApp(graph, { ...scim, token: "refused" }, "scimkit-northwind");

  // contoso: a trial, all verified. fabrikam: quarantined. northwind: its service refuses Entra's token.
  contosoTrial = (await trialProvider.create!({
    stack: "contoso",
    domain: "contoso.onmicrosoft.com",
    userCount: 3,
    servicePrincipalId: contoso.servicePrincipalId,
    jobId: contoso.jobId,
    scimBaseUrl: service.baseUrl,
    scimToken: service.token,
    purgeOnDestroy: true,
    providerVersion: 1,
  })) as typeof contosoTrial;
  quarantineJob(graphSimulator, fabrikam.servicePrincipalId);
  await provisionTestUsersOnDemand(graph, northwind, "northwind", 2);

  const outputsOf = (app: ProvisionedApp, extra: Record<string, unknown> = {}) => ({
    servicePrincipalId: app.servicePrincipalId,
    provisioningJobId: app.jobId,
    applicationObjectId: app.applicationObjectId,
    applicationDisplayName: app.displayName,
    ...extra,
  });
  fakePulumi = createFakePulumi({
    stacks: ["contoso", "fabrikam", "northwind"],
    failingStacks: ["northwind"],
    upMilliseconds: 300,
    outputs: {
      contoso: outputsOf(contoso, {
        purgeDeletedItems: true,
        resourceGroupName: "rg-scimkit-contoso",
        subscriptionId: SUBSCRIPTION,
        trial: contosoTrial.outs.report,
      }),
      fabrikam: outputsOf(fabrikam),
      northwind: outputsOf(northwind),
    },
  });
  symlinkSync(join(repositoryRoot, "bin", "scimkit.js"), join(fakePulumi.directory, "scimkit"));
  arm.resourceGroups.add(`${SUBSCRIPTION}/rg-scimkit-contoso`);
});

after(async () => {
  process.env = savedEnvironment;
  await graphSimulator?.close();
  await arm?.close();
  await service?.stop();
});

async function run(line: string): Promise<{ exitCode: number; stdout: string }> {
  const shell = promisify(execFile);
  const environment = {
    ...process.env,
    PATH: `${fakePulumi.directory}:${process.env.PATH}`,
    PULUMI_EXECUTABLE: "",
  };
  try {
    const { stdout } = await shell("sh", ["-c", line], { cwd: workDirectory, env: environment });
    return { exitCode: 0, stdout };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    if (typeof failure.code !== "number") throw error;
    return { exitCode: failure.code, stdout: failure.stdout + failure.stderr };
  }
}

describe('README "Operating many tenants", run as written', () => {
  it("scimkit tenant init writes the stack file shown", async () => {
    const result = await run(command("scimkit tenant init "));
    assert.equal(result.exitCode, 0, result.stdout);
    assert.equal(normalise(result.stdout), normalise(example("wrote ")));
    const written = readFileSync(join(workDirectory, "Pulumi.contoso.yaml"), "utf8");
    const configPart = written.slice(written.indexOf("config:"));
    assert.equal(configPart.trimEnd(), example("config:\n").trimEnd());
  });

  it("scimkit tenant up --all ends with the summary shown", async () => {
    const result = await run(command("scimkit tenant up "));
    assert.equal(result.exitCode, 1);
    assert.equal(
      normalise(result.stdout.slice(result.stdout.indexOf("Summary"))),
      normalise(example("Summary")),
    );
  });

  it("scimkit status --all prints the report shown, worst first", async () => {
    const result = await run(command("scimkit status "));
    assert.equal(result.exitCode, 2);
    assert.equal(normalise(result.stdout), normalise(example("fabrikam: QUARANTINED")));
  });

  it("the trial output has the shape shown", () => {
    const shown = example("{\n") ?? "";
    for (const key of [
      "userPrincipalName",
      "provisioning",
      "foundInScim",
      "scimId",
      "mismatches",
      "allVerified",
    ]) {
      assert.match(shown, new RegExp(`"${key}"`));
      assert.ok(key in contosoTrial.outs.report || key in contosoTrial.outs.report.users[0], key);
    }
    assert.equal(contosoTrial.outs.report.allVerified, true);
  });

  it("save outputs, destroy, teardown-check: leftovers listed as shown, then nothing left", async () => {
    const save = await run(command("pulumi stack output "));
    assert.equal(save.exitCode, 0, save.stdout);
    // pulumi destroy (the Entra side and trial mode's delete), forgetting to purge the application
    // and with the resource group still there.
    await trialProvider.delete!("trial", contosoTrial.outs);
    await graph.post(
      `/servicePrincipals/${contoso.servicePrincipalId}/synchronization/jobs/${contoso.jobId}/pause`,
      undefined,
    );
    await graph.delete(
      `/servicePrincipals/${contoso.servicePrincipalId}/synchronization/jobs/${contoso.jobId}`,
    );
    await graph.delete(`/servicePrincipals/${contoso.servicePrincipalId}`);
    await graph.delete(`/applications/${contoso.applicationObjectId}`);
    await graph.delete(`/directory/deletedItems/${contoso.servicePrincipalId}`);

    const leftovers = await run(command("scimkit teardown-check "));
    assert.equal(leftovers.exitCode, 2);
    assert.equal(normalise(leftovers.stdout), normalise(example("contoso: 2 leftover(s)")));

    await graph.delete(`/directory/deletedItems/${contoso.applicationObjectId}`);
    arm.resourceGroups.clear();
    const clean = await run(command("scimkit teardown-check "));
    assert.equal(clean.exitCode, 0);
    assert.equal(normalise(clean.stdout), normalise(example("contoso: nothing left")));
  });
});
