/**
 * Trial mode end to end: the dynamic provider, driven the way the Pulumi engine drives it, against the
 * strict Graph simulator (whose provisionOnDemand really exports to the SCIM BaseAddress) and the real
 * SCIM service running as `scimkit serve` in a child process (SQLite file, loopback port 0).
 */
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { createGraphClient, type GraphClient } from "../../infra/graph/client";
import { createOnDemandRateLimiter } from "../../infra/trial/on-demand-rate-limiter";
import { planTrial } from "../../infra/trial/trial-plan";
import { trialProvider } from "../../infra/trial/trial-provider";
import type { TrialReport } from "../../infra/trial/trial-run";
import { type GraphSimulator, startGraphSimulator } from "../support/graph-simulator";
import {
  createOperationsExtension,
  type OperationsExtension,
} from "../support/graph-simulator/operations-routes";
import { type ServiceProcess, startServiceProcess } from "../support/server-process";
import { createProvisionedApp, type ProvisionedApp } from "./support/provisioned-app";

let graphSimulator: GraphSimulator;
let operations: OperationsExtension;
let service: ServiceProcess;
let graph: GraphClient;
let app: ProvisionedApp;
const savedEnvironment = { ...process.env };

before(async () => {
  service = await startServiceProcess({
    databaseUrl: `sqlite:${join(mkdtempSync(join(tmpdir(), "trial-mode-")), "scim.db")}`,
  });
  operations = createOperationsExtension();
  graphSimulator = await startGraphSimulator({ extraRoutes: operations.routes, onContractAbsent: () => {} });
  Object.assign(process.env, graphSimulator.environment(), { SCIMKIT_GRAPH_RETRY_BASE_MS: "50" });
  graph = createGraphClient();
  app = await createProvisionedApp(graph, { baseUrl: service.baseUrl, token: service.token });
});

after(async () => {
  process.env = savedEnvironment;
  await graphSimulator?.close();
  await service?.stop();
});

function inputs(overrides: Record<string, unknown> = {}) {
  return {
    stack: "Contoso Trial",
    domain: "contoso.onmicrosoft.com",
    userCount: 6,
    servicePrincipalId: app.servicePrincipalId,
    jobId: app.jobId,
    scimBaseUrl: service.baseUrl,
    scimToken: service.token,
    purgeOnDestroy: true,
    providerVersion: 1,
    ...overrides,
  };
}

async function scimUser(userName: string) {
  const response = await fetch(
    `${service.baseUrl}/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`,
    {
      headers: { authorization: `Bearer ${service.token}` },
    },
  );
  assert.equal(response.status, 200);
  return ((await response.json()) as { Resources: Record<string, unknown>[] }).Resources[0];
}

describe("trial mode", () => {
  let created: { id: string; outs: { report: TrialReport } & Record<string, unknown> };

  it("creates marked test users and a group, assigns them, provisions them on demand and finds them in the SCIM service", async () => {
    created = (await trialProvider.create!(inputs())) as typeof created;
    const report = created.outs.report;
    assert.equal(created.id, "scimkit-trial-Contoso Trial");
    assert.equal(report.allVerified, true, JSON.stringify(report, null, 2));
    assert.deepEqual(
      report.users.map((user) => [
        user.userPrincipalName,
        user.provisioning,
        user.foundInScim,
        user.mismatches,
      ]),
      [1, 2, 3, 4, 5, 6].map((n) => [
        `scimkit-trial-contoso-trial-${n}@contoso.onmicrosoft.com`,
        "Success",
        true,
        [],
      ]),
    );
    assert.equal(report.group?.displayName, "scimkit-trial-contoso-trial");
    assert.equal(report.group?.provisioning, "Success");

    // In the tenant: the users and the group exist and are assigned to the app.
    const assigned = graphSimulator.state.assignments.get(app.servicePrincipalId) ?? [];
    assert.deepEqual(
      new Set(assigned.map((assignment) => assignment.principalId)),
      new Set([...report.users.map((user) => user.id), report.group?.id]),
    );
    // In the SCIM service: each user with the mapped attributes, and the group.
    const third = await scimUser("scimkit-trial-contoso-trial-3@contoso.onmicrosoft.com");
    assert.equal(third.active, true);
    assert.equal(third.externalId, "scimkit-trial-contoso-trial-3");
    assert.deepEqual(
      {
        givenName: (third.name as Record<string, unknown>).givenName,
        familyName: (third.name as Record<string, unknown>).familyName,
      },
      { givenName: "Trial", familyName: "User 3" },
    );
    assert.equal(report.users[2].scimId, third.id);
    // The simulated Entra really exported to the service: matched by userName, then created.
    const created201 = operations.scimRequests.filter(
      (request) => request.method === "POST" && request.status === 201,
    );
    assert.deepEqual(
      created201.map((request) => new URL(request.url).pathname),
      [...Array(6).fill("/scim/v2/Users"), "/scim/v2/Groups"],
    );
    // The token never lands in outputs.
    assert.equal(JSON.stringify(created.outs).includes(service.token), false);
    assert.equal("scimToken" in created.outs, false);
  });

  it("stays within 5 provision-on-demand requests per 10 seconds (by the simulator's arrival times)", () => {
    const arrivals = operations.onDemandArrivals.get(app.jobId) ?? [];
    assert.equal(arrivals.length, 7, "6 users and 1 group");
    for (let index = 5; index < arrivals.length; index++) {
      assert.ok(
        arrivals[index] - arrivals[index - 5] >= 10_000,
        `request ${index + 1} came ${arrivals[index] - arrivals[index - 5]} ms after request ${index - 4}`,
      );
    }
    assert.equal(graphSimulator.state.calls.filter((call) => call.status === 429).length, 0);
    assert.deepEqual(graphSimulator.state.contractViolations, []);
  });

  it("re-running creates nothing new and verifies again", async () => {
    const usersBefore = graphSimulator.state.users.size;
    graphSimulator.state.clearCalls();
    const updated = (await trialProvider.update!(created.id, created.outs, inputs())) as {
      outs: { report: TrialReport };
    };
    assert.equal(updated.outs.report.allVerified, true);
    assert.equal(graphSimulator.state.users.size, usersBefore);
    const creations = graphSimulator.state
      .writeCalls()
      .filter((call) =>
        ["users.create", "groups.create", "servicePrincipals.appRoleAssignedTo.create"].includes(
          call.operationId ?? "",
        ),
      );
    assert.deepEqual(creations, []);
    // The SCIM service still holds one account per trial user (matched, then updated, not duplicated).
    const list = await fetch(
      `${service.baseUrl}/Users?filter=${encodeURIComponent('userName sw "scimkit-trial-"')}`,
      {
        headers: { authorization: `Bearer ${service.token}` },
      },
    );
    assert.equal(((await list.json()) as { totalResults: number }).totalResults, 6);
  });

  it("a diff with unchanged inputs asks for no change", async () => {
    const diff = await trialProvider.diff!(created.id, created.outs, inputs());
    assert.equal(diff.changes, false);
    const moved = await trialProvider.diff!(
      created.id,
      created.outs,
      inputs({ domain: "fabrikam.onmicrosoft.com" }),
    );
    assert.deepEqual([moved.changes, moved.replaces], [true, ["domain"]]);
  });

  it("destroy removes the test objects, permanently when purgeOnDestroy", async () => {
    await trialProvider.delete!(created.id, created.outs);
    const ids = [...created.outs.report.users.map((user) => user.id), String(created.outs.report.group?.id)];
    for (const id of ids) {
      assert.equal(graphSimulator.state.users.has(id) || graphSimulator.state.groups.has(id), false);
      assert.equal(graphSimulator.state.deletedItems.has(id), false, `${id} purged from deleted items`);
    }
    assert.deepEqual(graphSimulator.state.assignments.get(app.servicePrincipalId), []);
    // Idempotent: a second destroy (after a partial failure) succeeds.
    await trialProvider.delete!(created.id, created.outs);
  });

  it("serializes without secrets, and the provider loaded from that text does the whole trial", async () => {
    const configSecret = "stack-config-secret-5e8a1c";
    pulumi.runtime.setAllConfig({ "scimkit:existingSecretToken": configSecret }, [
      "scimkit:existingSecretToken",
    ]);
    const serialized = await pulumi.runtime.serializeFunction(() => trialProvider);
    assert.equal(
      serialized.text.includes(configSecret),
      false,
      "no stack config secret in the provider text",
    );
    assert.equal(
      serialized.text.includes(graphSimulator.token),
      false,
      "no Graph token in the provider text",
    );
    const module = { exports: {} as Record<string, () => pulumi.dynamic.ResourceProvider> };
    const requireFromProject = createRequire(join(__dirname, "../../package.json"));
    new Function("exports", "require", "module", serialized.text)(module.exports, requireFromProject, module);
    const loaded = module.exports[serialized.exportName]();

    const loadedApp = await createProvisionedApp(
      graph,
      { baseUrl: service.baseUrl, token: service.token },
      "loaded",
    );
    const loadedInputs = inputs({
      stack: "loaded",
      userCount: 1,
      servicePrincipalId: loadedApp.servicePrincipalId,
      jobId: loadedApp.jobId,
    });
    const result = (await loaded.create!(loadedInputs)) as { id: string; outs: { report: TrialReport } };
    assert.equal(result.outs.report.allVerified, true);
    assert.ok(await scimUser("scimkit-trial-loaded-1@contoso.onmicrosoft.com"));
    await loaded.delete!(result.id, result.outs);
    assert.equal(graphSimulator.state.users.has(result.outs.report.users[0].id), false);
  });
});

type Created = { id: string; outs: { report: TrialReport } & Record<string, unknown> };

/** A fresh app (its own job, so its own 5-per-10-s budget) with a trial of `userCount` users. */
async function trialOnNewApp(stack: string, userCount: number) {
  const app = await createProvisionedApp(
    graph,
    { baseUrl: service.baseUrl, token: service.token },
    `scimkit ${stack}`,
  );
  const trialInputs = inputs({
    stack,
    userCount,
    servicePrincipalId: app.servicePrincipalId,
    jobId: app.jobId,
  });
  const created = (await trialProvider.create!(trialInputs)) as Created;
  return { trialInputs, created };
}

describe("trial mode drift", () => {
  it("a refresh drops a test user and the group deleted in the portal; the next up recreates and re-verifies them", async () => {
    const { trialInputs: driftInputs, created: first } = await trialOnNewApp("drift", 2);
    const removed = first.outs.report.users[0];
    const removedGroup = first.outs.report.group;
    await graph.delete(`/users/${removed.id}`);
    await graph.delete(`/groups/${removedGroup?.id}`);

    const refreshed = (await trialProvider.read!(first.id, first.outs)) as { props: typeof first.outs };
    assert.deepEqual(
      refreshed.props.report.users.map((user) => user.userPrincipalName),
      ["scimkit-trial-drift-2@contoso.onmicrosoft.com"],
    );
    assert.equal(refreshed.props.report.group, undefined, "the deleted group is dropped too");
    const diff = await trialProvider.diff!(first.id, refreshed.props, driftInputs);
    assert.equal(diff.changes, true);

    const repaired = (await trialProvider.update!(first.id, refreshed.props, driftInputs)) as {
      outs: { report: TrialReport };
    };
    const recreated = repaired.outs.report.users[0];
    assert.equal(recreated.userPrincipalName, removed.userPrincipalName);
    assert.notEqual(recreated.id, removed.id, "a new directory object");
    assert.equal(repaired.outs.report.allVerified, true);
    assert.equal(repaired.outs.report.group?.displayName, removedGroup?.displayName);
    assert.notEqual(repaired.outs.report.group?.id, removedGroup?.id, "the group is recreated");
    await trialProvider.delete!(first.id, repaired.outs);
  });
});

describe("trial mode with fewer users", () => {
  it("lowering trialUserCount removes (and purges) the highest-numbered test users, keeping the rest", async () => {
    const { trialInputs: before, created: first } = await trialOnNewApp("shrink", 2);
    const [kept, dropped] = first.outs.report.users;
    const after = { ...before, userCount: 1 };
    assert.equal((await trialProvider.diff!(first.id, first.outs, after)).changes, true);
    const shrunk = (await trialProvider.update!(first.id, first.outs, after)) as {
      outs: { report: TrialReport };
    };
    assert.deepEqual(
      shrunk.outs.report.users.map((user) => user.id),
      [kept.id],
    );
    assert.equal(graphSimulator.state.users.has(dropped.id), false);
    assert.equal(graphSimulator.state.deletedItems.has(dropped.id), false, "purged");
    assert.equal(
      graphSimulator.state.groups.has(String(first.outs.report.group?.id)),
      true,
      "the group stays",
    );
    await trialProvider.delete!(first.id, shrunk.outs);
  });
});

describe("provision-on-demand rate limiter", () => {
  it("lets 5 through at once and the 6th only when the first token returns 10 s later", async () => {
    let clock = 1_000;
    const sleeps: number[] = [];
    const limiter = createOnDemandRateLimiter({
      now: () => clock,
      sleep: async (milliseconds) => {
        sleeps.push(milliseconds);
        clock += milliseconds;
      },
    });
    const granted: number[] = [];
    for (let index = 0; index < 7; index++) {
      await limiter.acquire();
      granted.push(clock);
    }
    assert.deepEqual(granted.slice(0, 5), [1_000, 1_000, 1_000, 1_000, 1_000]);
    assert.equal(granted[5], 11_050);
    assert.equal(granted[6], 11_050);
    assert.deepEqual(sleeps, [10_050]);
  });

  it("plans clearly marked names from the stack", () => {
    const plan = planTrial("Prod/EU", "contoso.com", 2);
    assert.deepEqual(
      plan.users.map((user) => user.userPrincipalName),
      ["scimkit-trial-prod-eu-1@contoso.com", "scimkit-trial-prod-eu-2@contoso.com"],
    );
    assert.equal(plan.group.displayName, "scimkit-trial-prod-eu");
  });
});
