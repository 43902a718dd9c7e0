/**
 * Trial mode while assignments replicate: provision on demand answers "Skipped" for a while after an
 * assignment; trial mode retries, and reports honestly when the object never came into scope.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createGraphClient, type GraphClient } from "../../infra/graph/client";
import { provisionUntilAssignmentReplicates, readOnDemandTarget } from "../../infra/trial/on-demand";
import { createOnDemandRateLimiter } from "../../infra/trial/on-demand-rate-limiter";
import { ensureTrialObjects } from "../../infra/trial/trial-directory";
import { planTrial } from "../../infra/trial/trial-plan";
import { applyTrial } from "../../infra/trial/trial-run";
import { type GraphSimulator, startGraphSimulator } from "../support/graph-simulator";
import {
  createOperationsExtension,
  type OperationsExtension,
} from "../support/graph-simulator/operations-routes";
import { createProvisionedApp } from "./support/provisioned-app";
import { type LocalScimService, startLocalScimService } from "./support/scim-service";

let graphSimulator: GraphSimulator;
let operations: OperationsExtension;
let service: LocalScimService;
let graph: GraphClient;
const savedEnvironment = { ...process.env };

before(async () => {
  service = await startLocalScimService();
  operations = createOperationsExtension({ assignmentReplicationCalls: 1 });
  graphSimulator = await startGraphSimulator({ extraRoutes: operations.routes, onContractAbsent: () => {} });
  Object.assign(process.env, graphSimulator.environment(), {
    SCIMKIT_GRAPH_RETRY_BASE_MS: "50",
    SCIMKIT_TRIAL_RETRY_BASE_MS: "20",
  });
  graph = createGraphClient();
});

after(async () => {
  process.env = savedEnvironment;
  await graphSimulator?.close();
  await service?.stop();
});

describe("trial mode while assignments replicate", () => {
  it("retries a Skipped result until the user is in scope, then verifies it in the SCIM service", async () => {
    const app = await createProvisionedApp(
      graph,
      { baseUrl: service.baseUrl, token: service.token },
      "replicating",
    );
    const report = await applyTrial(
      graph,
      createOnDemandRateLimiter(),
      {
        stack: "replicating",
        domain: "contoso.example",
        userCount: 1,
        servicePrincipalId: app.servicePrincipalId,
        jobId: app.jobId,
        scimBaseUrl: service.baseUrl,
        scimToken: service.token,
        purgeOnDestroy: false,
      },
      planTrial,
    );
    assert.equal(report.users[0].provisioning, "Success");
    assert.equal(report.users[0].foundInScim, true);
    assert.equal(report.allVerified, true);
    assert.equal(report.group?.provisioning, "Success");
    // One Skipped then one Success each, for the user and for the group.
    assert.equal(operations.onDemandArrivals.get(app.jobId)?.length, 4);
  });

  it("reports Skipped when the object is still out of scope after the retries", async () => {
    const app = await createProvisionedApp(
      graph,
      { baseUrl: service.baseUrl, token: service.token },
      "never",
    );
    const objects = await ensureTrialObjects(
      graph,
      app.servicePrincipalId,
      planTrial("never", "contoso.example", 1),
    );
    const target = await readOnDemandTarget(graph, app.servicePrincipalId, app.jobId);
    const result = await provisionUntilAssignmentReplicates(
      graph,
      createOnDemandRateLimiter(),
      target,
      { objectId: objects.users[0].id, objectTypeName: "User" },
      0,
    );
    assert.deepEqual(result, {
      objectId: objects.users[0].id,
      result: "Skipped",
      message: undefined,
    });
  });
});
