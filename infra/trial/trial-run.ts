/**
 * What trial mode does, step by step, over infra/graph's client and the SCIM endpoint:
 *   ensureTrialObjects                  find-or-create the test users and group, assign them (trial-directory.ts)
 *   provisionUntilAssignmentReplicates  provision on demand, 5 per 10 s (on-demand.ts)
 *   verifyInScim                        find each user in the deployed service with the mapped attributes
 *                                       (scim-verification.ts)
 * and the `trial` stack output that reports it.
 */
import { provisionUntilAssignmentReplicates, readOnDemandTarget } from "./on-demand";
import type { RateLimiter } from "./on-demand-rate-limiter";
import { verifyInScim } from "./scim-verification";
import { ensureTrialObjects, type TrialObjects, type TrialUserRecord } from "./trial-directory";
import type { TrialGraph } from "./trial-graph";
import type { TrialPlan } from "./trial-plan";

export interface TrialInputs {
  readonly stack: string;
  readonly domain: string;
  readonly userCount: number;
  readonly servicePrincipalId: string;
  readonly jobId: string;
  readonly scimBaseUrl: string;
  readonly scimToken: string;
  readonly purgeOnDestroy: boolean;
  readonly appRoleId?: string;
}

/** The `trial` stack output: what was made, whether each arrived, and exactly what differed. */
export interface TrialReport {
  readonly users: readonly (TrialUserRecord & {
    readonly provisioning: string;
    readonly provisioningMessage?: string;
    readonly foundInScim: boolean;
    readonly scimId?: string;
    readonly mismatches: readonly string[];
  })[];
  /** Absent only after a refresh found the group deleted (the next `up` recreates it). */
  readonly group?: TrialObjects["group"] & { readonly provisioning: string };
  readonly purgeOnDestroy: boolean;
  /** Every user provisioned, found in the SCIM service, with the mapped attributes. */
  readonly allVerified: boolean;
  readonly checkedAt: string;
}

export async function applyTrial(
  graph: TrialGraph,
  limiter: RateLimiter,
  inputs: TrialInputs,
  planFor: (stack: string, domain: string, userCount: number) => TrialPlan,
  fetchImplementation: typeof fetch = fetch,
): Promise<TrialReport> {
  const plan = planFor(inputs.stack, inputs.domain, inputs.userCount);
  const objects = await ensureTrialObjects(graph, inputs.servicePrincipalId, plan, inputs.appRoleId);
  const target = await readOnDemandTarget(graph, inputs.servicePrincipalId, inputs.jobId);
  const users: TrialReport["users"][number][] = [];
  for (const [index, user] of objects.users.entries()) {
    const provisioned = await provisionUntilAssignmentReplicates(graph, limiter, target, {
      objectId: user.id,
      objectTypeName: "User",
    });
    const check =
      provisioned.result === "Success"
        ? await verifyInScim(
            { baseUrl: inputs.scimBaseUrl, token: inputs.scimToken },
            plan.users[index],
            target.userMappings,
            fetchImplementation,
          )
        : { found: false, mismatches: [] as string[], scimId: undefined };
    users.push({
      ...user,
      provisioning: provisioned.result,
      ...(provisioned.message ? { provisioningMessage: provisioned.message } : {}),
      foundInScim: check.found,
      ...(check.scimId ? { scimId: check.scimId } : {}),
      mismatches: check.mismatches,
    });
  }
  const group = await provisionUntilAssignmentReplicates(graph, limiter, target, {
    objectId: objects.group.id,
    objectTypeName: "Group",
  });
  return {
    users,
    group: { ...objects.group, provisioning: group.result },
    purgeOnDestroy: inputs.purgeOnDestroy,
    allVerified: users.every((user) => user.foundInScim && user.mismatches.length === 0),
    checkedAt: new Date().toISOString(),
  };
}
