/**
 * Provisioning states the operations tests put a job in, the way Entra reports them.
 */
import type { GraphClient } from "../../../infra/graph/client";
import { provisionOnDemand, readOnDemandTarget } from "../../../infra/trial/on-demand";
import { createOnDemandRateLimiter } from "../../../infra/trial/on-demand-rate-limiter";
import { ensureTrialObjects } from "../../../infra/trial/trial-directory";
import { planTrial } from "../../../infra/trial/trial-plan";
import type { GraphSimulator } from "../../support/graph-simulator";
import type { ProvisionedApp } from "./provisioned-app";

/** Quarantine after repeated escrows: status.code, status.quarantine and the troubleshooting link. */
export function quarantineJob(simulator: GraphSimulator, servicePrincipalId: string): void {
  const job = simulator.state.onlyJob(servicePrincipalId);
  job.status = {
    ...job.status,
    code: "Quarantine",
    quarantine: {
      reason: "EncounteredBaseEscrowThreshold",
      seriesBegan: "2026-11-27T09:00:00Z",
      currentBegan: "2026-11-27T11:00:00Z",
      nextAttempt: "2026-11-27T13:00:00Z",
      seriesCount: 3,
      error: {
        code: "SystemForCrossDomainIdentityManagementServiceIncompatible",
        message: "The SCIM endpoint is not compatible with the Microsoft Entra SCIM client.",
        tenantActionable: true,
      },
    },
    troubleshootingUrl: "https://aka.ms/scimtroubleshooting",
  };
}

/**
 * Provisions `userCount` test users of `stack` on demand into the app's SCIM endpoint: with an app whose
 * credentials the service refuses, each export fails and lands in the provisioning logs as a failure.
 * Returns each on-demand result (Success / Skipped / Failure).
 */
export async function provisionTestUsersOnDemand(
  graph: GraphClient,
  app: ProvisionedApp,
  stack: string,
  userCount: number,
): Promise<string[]> {
  const objects = await ensureTrialObjects(
    graph,
    app.servicePrincipalId,
    planTrial(stack, `${stack}.example`, userCount),
  );
  const target = await readOnDemandTarget(graph, app.servicePrincipalId, app.jobId);
  const limiter = createOnDemandRateLimiter();
  const results: string[] = [];
  for (const user of objects.users) {
    results.push(
      (await provisionOnDemand(graph, limiter, target, { objectId: user.id, objectTypeName: "User" })).result,
    );
  }
  return results;
}
