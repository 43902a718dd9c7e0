/**
 * `scimkit teardown-check` against the Graph simulator and a local ARM stand-in: a clean destroy passes,
 * deliberately leftover objects are each listed with how to remove them, and a refused probe is an
 * error, never "clean".
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createGraphClient, type GraphClient } from "../../infra/graph/client";
import { ensureTrialObjects, removeTrialObjects, type TrialObjects } from "../../infra/trial/trial-directory";
import { planTrial } from "../../infra/trial/trial-plan";
import { runTeardownCheck, type TeardownCheckOptions } from "../../src/cli/teardown-check";
import { type ArmStandIn, startArmStandIn } from "../operations/support/arm-stand-in";
import { createProvisionedApp, type ProvisionedApp } from "../operations/support/provisioned-app";
import { type GraphSimulator, startGraphSimulator } from "../support/graph-simulator";
import { createOperationsExtension } from "../support/graph-simulator/operations-routes";

const SUBSCRIPTION = "11111111-2222-3333-4444-555555555555";
let graphSimulator: GraphSimulator;
let arm: ArmStandIn;
let graph: GraphClient;
const directory = mkdtempSync(join(tmpdir(), "teardown-check-"));
const savedEnvironment = { ...process.env };

before(async () => {
  graphSimulator = await startGraphSimulator({
    extraRoutes: createOperationsExtension().routes,
    onContractAbsent: () => {},
  });
  arm = await startArmStandIn();
  Object.assign(process.env, graphSimulator.environment(), {
    SCIMKIT_GRAPH_RETRY_BASE_MS: "50",
    SCIMKIT_ARM_ENDPOINT: arm.endpoint,
    SCIMKIT_ARM_TOKEN: arm.token,
  });
  graph = createGraphClient();
});

after(async () => {
  process.env = savedEnvironment;
  await graphSimulator?.close();
  await arm?.close();
});

/** An integration as `pulumi up` leaves it, and the outputs file saved before destroy. */
async function deployStack(stack: string) {
  const app = await createProvisionedApp(
    graph,
    { baseUrl: "https://scim.example/scim/v2", token: "t" },
    `scimkit ${stack}`,
  );
  const trial = await ensureTrialObjects(
    graph,
    app.servicePrincipalId,
    planTrial(stack, `${stack}.example`, 2),
  );
  arm.resourceGroups.add(`${SUBSCRIPTION}/rg-${stack}`);
  const outputsFile = join(directory, `${stack}.outputs.json`);
  writeFileSync(
    outputsFile,
    JSON.stringify({
      servicePrincipalId: app.servicePrincipalId,
      provisioningJobId: app.jobId,
      applicationObjectId: app.applicationObjectId,
      applicationDisplayName: app.displayName,
      purgeDeletedItems: true,
      resourceGroupName: `rg-${stack}`,
      subscriptionId: SUBSCRIPTION,
      trial: { users: trial.users, group: trial.group, purgeOnDestroy: true },
    }),
  );
  return { app, trial, outputsFile };
}

/** What `pulumi destroy` does (issue #6's teardown order), with or without purging. */
async function destroy(stack: string, app: ProvisionedApp, trial: TrialObjects, purge: boolean) {
  await removeTrialObjects(graph, app.servicePrincipalId, trial, purge);
  await graph.post(
    `/servicePrincipals/${app.servicePrincipalId}/synchronization/jobs/${app.jobId}/pause`,
    undefined,
  );
  await graph.delete(`/servicePrincipals/${app.servicePrincipalId}/synchronization/jobs/${app.jobId}`);
  await graph.delete(`/servicePrincipals/${app.servicePrincipalId}`);
  await graph.delete(`/applications/${app.applicationObjectId}`);
  if (purge) {
    await graph.delete(`/directory/deletedItems/${app.servicePrincipalId}`);
    await graph.delete(`/directory/deletedItems/${app.applicationObjectId}`);
  }
  arm.resourceGroups.delete(`${SUBSCRIPTION}/rg-${stack}`);
}

async function check(options: TeardownCheckOptions) {
  let text = "";
  const exitCode = await runTeardownCheck(options, { write: (chunk) => (text += chunk) });
  return { exitCode, text };
}

describe("scimkit teardown-check", () => {
  it("passes after a complete destroy with purge, having asked Graph and ARM about every object", async () => {
    const { app, trial, outputsFile } = await deployStack("contoso");
    await destroy("contoso", app, trial, true);
    const { exitCode, text } = await check({ outputs: [outputsFile] });
    assert.equal(text, "contoso: nothing left (checked 13 item(s))\n");
    assert.equal(exitCode, 0);
    assert.ok(
      arm.requests.some((request) =>
        request.url.startsWith(`/subscriptions/${SUBSCRIPTION}/resourcegroups/rg-contoso?`),
      ),
    );
    for (const id of [
      app.applicationObjectId,
      app.servicePrincipalId,
      ...trial.users.map((user) => user.id),
    ]) {
      assert.ok(
        graphSimulator.state.calls.some((call) => call.path === `/directory/deletedItems/${id}`),
        `deleted items probed for ${id}`,
      );
    }
  });

  it("lists each deliberately leftover object with where it is and how to remove it, and exits 2", async () => {
    const { app, trial, outputsFile } = await deployStack("fabrikam");
    // A destroy that forgot to purge, left one trial user behind, and never removed the resource group;
    // plus a second app with the same name from an earlier failed `up` (instantiate is not idempotent).
    await destroy("fabrikam", app, { users: trial.users.slice(1), group: trial.group }, false);
    arm.resourceGroups.add(`${SUBSCRIPTION}/rg-fabrikam`);
    const orphan = await graph.post<{ application: { id: string }; servicePrincipal: { id: string } }>(
      "/applicationTemplates/8adf8e6e-67b2-4cf2-a259-e3dc5476c621/instantiate",
      { displayName: "scimkit fabrikam" },
    );
    const { exitCode, text } = await check({ outputs: [outputsFile] });
    assert.equal(exitCode, 2);
    const leftover = trial.users[0];
    assert.match(text, /^fabrikam: 8 leftover\(s\)$/m);
    assert.match(
      text,
      new RegExp(
        `deleted items application ${app.applicationObjectId} "scimkit fabrikam"\\n {16}remove: DELETE /directory/deletedItems/${app.applicationObjectId}`,
      ),
    );
    assert.match(text, new RegExp(`deleted items service principal ${app.servicePrincipalId}`));
    assert.match(
      text,
      new RegExp(
        `tenant {8}application ${orphan.application.id} "scimkit fabrikam"\\n {16}remove: DELETE /applications/${orphan.application.id}`,
      ),
    );
    assert.match(
      text,
      new RegExp(
        `tenant {8}user ${leftover.id} "scimkit-trial-fabrikam-1@fabrikam\\.example"\\n {16}remove: DELETE /users/${leftover.id}`,
      ),
    );
    assert.match(text, new RegExp(`deleted items user ${trial.users[1].id}`));
    assert.match(text, new RegExp(`deleted items group ${trial.group.id} "scimkit-trial-fabrikam"`));
    assert.match(
      text,
      /subscription {2}resource group \/subscriptions\/11111111-2222-3333-4444-555555555555\/resourceGroups\/rg-fabrikam "rg-fabrikam"\n {16}remove: az group delete --subscription 11111111-2222-3333-4444-555555555555 --name rg-fabrikam --yes/,
    );

    const json = JSON.parse((await check({ outputs: [outputsFile], json: true })).text);
    assert.equal(json.clean, false);
    assert.equal(json.stacks[0].leftovers.length, 8);
  });

  it("checks ids given as flags, without an outputs file", async () => {
    const user = await graph.post<{ id: string }>("/users", {
      accountEnabled: true,
      displayName: "left behind",
      mailNickname: "left-behind",
      userPrincipalName: "left-behind@contoso.example",
      passwordProfile: { password: "Xy1!-not-used-anywhere", forceChangePasswordNextSignIn: true },
    });
    const { exitCode, text } = await check({ userId: [user.id], stack: "contoso" });
    assert.equal(exitCode, 2);
    assert.match(
      text,
      new RegExp(
        `contoso: 1 leftover\\(s\\)\\n {2}tenant {8}user ${user.id} "left-behind@contoso\\.example"`,
      ),
    );
  });

  it("fails loudly, never 'clean', when ARM refuses to answer", async () => {
    const { outputsFile, app, trial } = await deployStack("northwind");
    await destroy("northwind", app, trial, true);
    arm.forcedStatus = 403;
    try {
      await assert.rejects(
        check({ outputs: [outputsFile] }),
        /failed with 403: .*\(the caller needs Reader on the subscription\)/,
      );
    } finally {
      arm.forcedStatus = undefined;
    }
  });

  it("says what to pass when given nothing to check", async () => {
    await assert.rejects(check({}), /nothing to check: pass --outputs <file>/);
  });
});
