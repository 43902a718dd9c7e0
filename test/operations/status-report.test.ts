import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ProvisioningObjectSummary, SynchronizationJob } from "../../src/operations/graph-shapes";
import { outcomeIsHealthy, renderStatusJson, renderStatusText } from "../../src/operations/render-status";
import { buildStatusReport, DEFAULT_TROUBLESHOOTING_URL } from "../../src/operations/status-report";

const healthyJob: SynchronizationJob = {
  id: "scim.abc.123",
  schedule: { state: "Active" },
  status: {
    code: "Active",
    lastExecution: {
      state: "Succeeded",
      timeBegan: "2026-11-27T10:00:00Z",
      timeEnded: "2026-11-27T10:00:42Z",
      countImported: 12,
      countExported: 3,
      countEscrowed: 0,
    },
    lastSuccessfulExecution: { timeEnded: "2026-11-27T10:00:42Z" },
  },
};

function failure(at: string, code: string, who: string): ProvisioningObjectSummary {
  return {
    id: `${code}-${at}`,
    activityDateTime: at,
    provisioningAction: "create",
    provisioningStatusInfo: {
      status: "failure",
      errorInformation: { errorCode: code, reason: `${code} happened`, recommendedAction: "fix it" },
    },
    sourceIdentity: { id: who, displayName: who },
  };
}

function report(job: SynchronizationJob, logs: ProvisioningObjectSummary[] = []) {
  return buildStatusReport({
    stack: "contoso",
    servicePrincipalId: "sp-1",
    jobId: "scim.abc.123",
    job,
    provisioningLogs: logs,
  });
}

describe("status report", () => {
  it("calls a succeeded cycle with no failed log entries healthy and says so", () => {
    const built = report(healthyJob, [
      { activityDateTime: "2026-11-27T10:00:01Z", provisioningStatusInfo: { status: "success" } },
    ]);
    assert.equal(built.verdict, "healthy");
    assert.deepEqual(built.lastCycle, {
      began: "2026-11-27T10:00:00Z",
      ended: "2026-11-27T10:00:42Z",
      durationSeconds: 42,
      result: "Succeeded",
      imported: 12,
      exported: 3,
      escrowed: 0,
      error: undefined,
    });
    const text = renderStatusText({ reports: [built], unreadable: [] });
    assert.match(text, /^contoso: HEALTHY$/m);
    assert.match(text, /2026-11-27T10:00:00Z → 2026-11-27T10:00:42Z \(42 s\), Succeeded/);
    assert.match(text, /failures {5}none in the latest 1 log entries/);
  });

  it("reports quarantine with its reason, error and the job's troubleshooting link", () => {
    const built = report({
      schedule: { state: "Active" },
      status: {
        code: "Quarantine",
        troubleshootingUrl: "https://aka.ms/example-troubleshoot",
        quarantine: {
          reason: "EncounteredQuarantineException",
          seriesBegan: "2026-11-27T08:00:00Z",
          seriesCount: 4,
          nextAttempt: "2026-11-27T12:00:00Z",
          error: {
            code: "SystemForCrossDomainIdentityManagementCredentialValidationUnavailable",
            message: "401",
          },
        },
      },
    });
    assert.equal(built.verdict, "quarantined");
    const text = renderStatusText({ reports: [built], unreadable: [] });
    assert.match(
      text,
      /quarantine {3}EncounteredQuarantineException since 2026-11-27T08:00:00Z, 4 attempt\(s\)/,
    );
    assert.match(text, /troubleshoot: https:\/\/aka\.ms\/example-troubleshoot/);
  });

  it("falls back to Microsoft's quarantine page when the job carries no link", () => {
    const built = report({ schedule: { state: "Active" }, status: { code: "Quarantine" } });
    assert.equal(built.quarantine?.reason, "Unknown");
    assert.equal(built.quarantine?.troubleshootingUrl, DEFAULT_TROUBLESHOOTING_URL);
  });

  it("groups failed log entries by error code, biggest group first, newest examples first", () => {
    const built = report(healthyJob, [
      failure("2026-11-27T10:00:05Z", "SCIMUnauthorized", "alice@contoso.com"),
      failure("2026-11-27T10:00:09Z", "SCIMConflict", "bob@contoso.com"),
      failure("2026-11-27T10:00:07Z", "SCIMUnauthorized", "carol@contoso.com"),
      { activityDateTime: "2026-11-27T10:00:08Z", provisioningStatusInfo: { status: "success" } },
    ]);
    assert.equal(built.verdict, "failing");
    assert.deepEqual(
      built.failures.map((group) => [group.errorCode, group.count, group.examples.map((e) => e.identity)]),
      [
        ["SCIMUnauthorized", 2, ["carol@contoso.com", "alice@contoso.com"]],
        ["SCIMConflict", 1, ["bob@contoso.com"]],
      ],
    );
    const text = renderStatusText({ reports: [built], unreadable: [] });
    assert.match(text, /failures {5}3 of the latest 4 log entries, by error code:/);
    assert.match(text, /SCIMUnauthorized ×2, latest 2026-11-27T10:00:07Z/);
    assert.match(text, /e\.g\. carol@contoso\.com \(create\), alice@contoso\.com \(create\)/);
  });

  it("treats a failed last cycle as failing even without log entries", () => {
    const built = report({
      schedule: { state: "Active" },
      status: { code: "Active", lastExecution: { state: "Failed", error: { code: "E1", message: "boom" } } },
    });
    assert.equal(built.verdict, "failing");
    assert.match(renderStatusText({ reports: [built], unreadable: [] }), /error E1: boom/);
  });

  it("distinguishes paused and never-run jobs from healthy ones", () => {
    assert.equal(report({ schedule: { state: "Paused" }, status: { code: "Paused" } }).verdict, "paused");
    assert.equal(report({ schedule: { state: "Disabled" }, status: { code: "NotRun" } }).verdict, "paused");
    assert.equal(report({ schedule: { state: "Active" }, status: { code: "NotRun" } }).verdict, "not-run");
  });

  it("sorts many stacks worst first, tallies them, and JSON says healthy only when all are", () => {
    const healthy = { ...report(healthyJob), stack: "a-healthy" };
    const quarantined = { ...report({ status: { code: "Quarantine" } }), stack: "z-quarantined" };
    const outcome = {
      reports: [healthy, quarantined],
      unreadable: [{ stack: "m-new", message: "no outputs" }],
    };
    const text = renderStatusText(outcome);
    assert.ok(text.indexOf("z-quarantined: QUARANTINED") < text.indexOf("a-healthy: HEALTHY"));
    assert.match(text, /m-new: UNREADABLE\n {2}no outputs/);
    assert.match(text, /^3 stacks: 1 quarantined, 1 healthy, 1 unreadable$/m);
    const json = JSON.parse(renderStatusJson(outcome));
    assert.equal(json.healthy, false);
    assert.deepEqual(
      json.stacks.map((s: { stack: string; verdict: string }) => [s.stack, s.verdict]),
      [
        ["z-quarantined", "quarantined"],
        ["a-healthy", "healthy"],
      ],
    );
    assert.equal(outcomeIsHealthy({ reports: [healthy], unreadable: [] }), true);
  });
});

describe("collecting status", () => {
  it("still reports the job when the provisioning logs are refused, and says which permission is missing", async () => {
    const { collectStatus } = await import("../../src/operations/collect-status");
    const requested: string[] = [];
    const graph = {
      async get<T>(path: string): Promise<T> {
        requested.push(path);
        if (path === "/auditLogs/provisioning") throw Object.assign(new Error("Forbidden"), { status: 403 });
        return healthyJob as T;
      },
    };
    const built = await collectStatus(graph, "contoso", {
      servicePrincipalId: "sp-1",
      jobId: "scim.abc.123",
    });
    assert.deepEqual(requested, [
      "/servicePrincipals/sp-1/synchronization/jobs/scim.abc.123",
      "/auditLogs/provisioning",
    ]);
    assert.equal(
      built.logsUnreadable,
      "403 Forbidden: the caller needs AuditLog.Read.All and Directory.Read.All",
    );
    assert.match(
      renderStatusText({ reports: [built], unreadable: [] }),
      /failures {5}provisioning logs unreadable: 403 Forbidden: the caller needs AuditLog\.Read\.All and Directory\.Read\.All/,
    );
  });

  it("lets a failure to read the job itself through (no report without the job)", async () => {
    const { collectStatus } = await import("../../src/operations/collect-status");
    const graph = {
      async get<T>(): Promise<T> {
        throw Object.assign(new Error("Microsoft Graph GET … failed with 404"), { status: 404 });
      },
    };
    await assert.rejects(
      collectStatus(graph, "x", { servicePrincipalId: "sp", jobId: "j" }),
      /failed with 404/,
    );
  });
});
