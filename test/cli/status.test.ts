/**
 * `scimkit status` against the strict Graph simulator: a healthy job, a quarantined one, and one whose
 * provisioning logs carry failures from real exports to the local SCIM service (wrong token).
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { createGraphClient, type GraphClient } from "../../infra/graph/client";
import { runStatus, type StatusOptions } from "../../src/cli/status";
import { createFakePulumi } from "../operations/support/fake-pulumi";
import { provisionTestUsersOnDemand, quarantineJob } from "../operations/support/job-scenarios";
import { createProvisionedApp, type ProvisionedApp } from "../operations/support/provisioned-app";
import { type LocalScimService, startLocalScimService } from "../operations/support/scim-service";
import { type GraphSimulator, startGraphSimulator } from "../support/graph-simulator";
import {
  createOperationsExtension,
  type OperationsExtension,
} from "../support/graph-simulator/operations-routes";

const repositoryRoot = join(__dirname, "..", "..");
let graphSimulator: GraphSimulator;
let operations: OperationsExtension;
let service: LocalScimService;
let graph: GraphClient;
let healthy: ProvisionedApp;
let quarantined: ProvisionedApp;
let failing: ProvisionedApp;
const savedEnvironment = { ...process.env };

before(async () => {
  service = await startLocalScimService();
  operations = createOperationsExtension();
  graphSimulator = await startGraphSimulator({ extraRoutes: operations.routes, onContractAbsent: () => {} });
  Object.assign(process.env, graphSimulator.environment(), { SCIMKIT_GRAPH_RETRY_BASE_MS: "50" });
  graph = createGraphClient();
  const scim = { baseUrl: service.baseUrl, token: service.token };
  healthy = await createProvisionedApp(graph, scim, "scimkit contoso");
  quarantined = await createProvisionedApp(graph, scim, "scimkit fabrikam");
  failing = await createProvisionedApp(
    graph,
    { ...scim, token: "a-token-the-service-refuses" },
    "scimkit northwind",
  );

  quarantineJob(graphSimulator, quarantined.servicePrincipalId);
  // Failures: two users provisioned on demand into a service that refuses the job's token (401),
  // plus one older failure of another kind already in the logs.
  assert.deepEqual(await provisionTestUsersOnDemand(graph, failing, "northwind", 2), ["Failure", "Failure"]);
  operations.addProvisioningLog({
    id: "older-conflict",
    activityDateTime: "2026-11-27T08:00:00Z",
    jobId: failing.jobId,
    provisioningAction: "create",
    provisioningStatusInfo: {
      status: "failure",
      errorInformation: {
        errorCode: "SystemForCrossDomainIdentityManagementConflict",
        reason: "userName is already taken in the target.",
      },
    },
    sourceIdentity: { id: "x", displayName: "old.user@northwind.example" },
  });
});

after(async () => {
  process.env = savedEnvironment;
  await graphSimulator?.close();
  await service?.stop();
});

async function status(options: StatusOptions) {
  let text = "";
  const exitCode = await runStatus(options, { write: (chunk) => (text += chunk) });
  return { exitCode, text };
}

const ids = (app: ProvisionedApp) => ({ servicePrincipalId: app.servicePrincipalId, jobId: app.jobId });

describe("scimkit status", () => {
  it("shows a healthy job's state and last cycle, and exits 0", async () => {
    const { exitCode, text } = await status({ stack: "contoso", ...ids(healthy) });
    assert.equal(exitCode, 0);
    assert.match(text, /^contoso: HEALTHY$/m);
    assert.match(
      text,
      new RegExp(
        `job {10}${healthy.jobId.replace(/\./g, "\\.")} \\(service principal ${healthy.servicePrincipalId}\\)`,
      ),
    );
    assert.match(text, /state {8}schedule Active, status Active/);
    assert.match(
      text,
      /last cycle {3}\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ → \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(0 s\), Succeeded/,
    );
    assert.match(text, /failures {5}none in the latest 0 log entries/);
  });

  it("shows quarantine with its reason, error and troubleshooting link, and exits 2", async () => {
    const { exitCode, text } = await status({ stack: "fabrikam", ...ids(quarantined) });
    assert.equal(exitCode, 2);
    assert.match(text, /^fabrikam: QUARANTINED$/m);
    assert.match(text, /state {8}schedule Active, status Quarantine/);
    assert.match(
      text,
      /quarantine {3}EncounteredBaseEscrowThreshold since 2026-11-27T09:00:00Z, 3 attempt\(s\)/,
    );
    assert.match(
      text,
      /SystemForCrossDomainIdentityManagementServiceIncompatible: The SCIM endpoint is not compatible/,
    );
    assert.match(text, /next attempt 2026-11-27T13:00:00Z/);
    assert.match(text, /troubleshoot: https:\/\/aka\.ms\/scimtroubleshooting/);
  });

  it("groups the latest provisioning failures by error code, and exits 2", async () => {
    const { exitCode, text } = await status({ stack: "northwind", ...ids(failing) });
    assert.equal(exitCode, 2);
    assert.match(text, /^northwind: FAILING$/m);
    assert.match(text, /failures {5}3 of the latest 3 log entries, by error code:/);
    assert.match(text, /SystemForCrossDomainIdentityManagementUnauthorized ×2, latest \d{4}-/);
    assert.match(text, /The SCIM endpoint answered 401/);
    assert.match(
      text,
      /e\.g\. scimkit-trial-northwind-2@northwind\.example \(other\), scimkit-trial-northwind-1@northwind\.example \(other\)/,
    );
    assert.match(text, /SystemForCrossDomainIdentityManagementConflict ×1, latest 2026-11-27T08:00:00Z/);
    assert.ok(text.indexOf("Unauthorized ×2") < text.indexOf("Conflict ×1"), "the biggest group comes first");
    // The request the kit sent for the logs is the documented one.
    const logCall = graphSimulator.state.calls.findLast((call) => call.path === "/auditLogs/provisioning");
    assert.match(
      decodeURIComponent(logCall?.query ?? "").replace(/\+/g, " "),
      new RegExp(`\\$filter=jobId eq '${failing.jobId}'`),
    );
  });

  it("prints JSON for scripts", async () => {
    const { exitCode, text } = await status({ stack: "northwind", ...ids(failing), json: true });
    assert.equal(exitCode, 2);
    const parsed = JSON.parse(text);
    assert.equal(parsed.healthy, false);
    assert.equal(parsed.stacks[0].verdict, "failing");
    assert.deepEqual(
      parsed.stacks[0].failures.map((group: { errorCode: string; count: number }) => [
        group.errorCode,
        group.count,
      ]),
      [
        ["SystemForCrossDomainIdentityManagementUnauthorized", 2],
        ["SystemForCrossDomainIdentityManagementConflict", 1],
      ],
    );
  });

  it("--all reads every stack's outputs through the Pulumi CLI, worst first, and reports stacks it cannot read", async () => {
    const fake = createFakePulumi({
      stacks: ["contoso", "fabrikam", "new-tenant"],
      outputs: {
        contoso: { servicePrincipalId: healthy.servicePrincipalId, provisioningJobId: healthy.jobId },
        fabrikam: {
          servicePrincipalId: quarantined.servicePrincipalId,
          provisioningJobId: quarantined.jobId,
        },
        "new-tenant": {},
      },
    });
    process.env.PULUMI_EXECUTABLE = fake.executable;
    try {
      const { exitCode, text } = await status({ all: true });
      assert.equal(exitCode, 2);
      assert.ok(text.indexOf("fabrikam: QUARANTINED") < text.indexOf("contoso: HEALTHY"));
      assert.match(
        text,
        /new-tenant: UNREADABLE\n {2}stack new-tenant has no servicePrincipalId or provisioningJobId output: run `pulumi up --stack new-tenant` first/,
      );
      assert.match(text, /^3 stacks: 1 quarantined, 1 healthy, 1 unreadable$/m);
    } finally {
      delete process.env.PULUMI_EXECUTABLE;
    }
    assert.deepEqual(
      fake.invocations().map((call) => call.argv),
      [
        ["stack", "ls", "--json"],
        ["stack", "output", "--json", "--stack", "contoso"],
        ["stack", "output", "--json", "--stack", "fabrikam"],
        ["stack", "output", "--json", "--stack", "new-tenant"],
      ],
    );
  });

  it("runs as `scimkit status --outputs <file>` with the same credentials as pulumi up (env)", async () => {
    const directory = mkdtempSync(join(tmpdir(), "status-outputs-"));
    const outputsFile = join(directory, "contoso.outputs.json");
    writeFileSync(
      outputsFile,
      JSON.stringify({ servicePrincipalId: healthy.servicePrincipalId, provisioningJobId: healthy.jobId }),
    );
    const run = promisify(execFile);
    const { stdout } = await run(
      process.execPath,
      ["--import", "tsx", join(repositoryRoot, "src/cli/main.ts"), "status", "--outputs", outputsFile],
      { env: { ...process.env }, cwd: repositoryRoot },
    );
    assert.match(stdout, /^contoso: HEALTHY$/m);
    assert.equal(stdout.includes(graphSimulator.token), false, "the Graph token is never printed");
  });

  it("without a Pulumi CLI, says how to install it or which ids to pass instead", async () => {
    process.env.PULUMI_EXECUTABLE = "/nonexistent/pulumi";
    try {
      await assert.rejects(
        status({ stack: "contoso" }),
        /the Pulumi CLI \("\/nonexistent\/pulumi"\) is not installed or not on PATH: install it \(https:\/\/www\.pulumi\.com\/docs\/install\/\) or set PULUMI_EXECUTABLE, or pass the ids \(--outputs <file\.json>, or --service-principal-id and --job-id\)/,
      );
    } finally {
      delete process.env.PULUMI_EXECUTABLE;
    }
  });

  it("names the flag to add when only one id is given", async () => {
    await assert.rejects(
      status({ servicePrincipalId: "x" }),
      /--service-principal-id and --job-id go together: pass both/,
    );
  });
});
