/**
 * Provision on demand (POST …/jobs/{id}/provisionOnDemand): the rule to use, one request per subject
 * within Entra's 5-per-10-s limit, and retries while a fresh assignment replicates
 * (../shared/docs/graph-provisioning.md, "Provision on demand").
 */
import type { RateLimiter } from "./on-demand-rate-limiter";
import type { TrialGraph } from "./trial-graph";

export interface OnDemandResult {
  readonly objectId: string;
  /** Success | Skipped | Failure (Entra's words) */
  readonly result: string;
  readonly message?: string;
}

/** An attribute mapping as the job schema holds it (synchronizationSchema → objectMapping → attributeMapping). */
export interface AttributeMapping {
  readonly targetAttributeName: string;
  readonly defaultValue?: string | null;
  readonly source?: MappingSource | null;
}

export interface MappingSource {
  readonly type?: string;
  readonly name?: string | null;
  readonly parameters?: readonly { readonly key: string; readonly value: MappingSource }[] | null;
}

interface SchemaRule {
  readonly id: string;
  readonly metadata?: readonly { readonly key: string; readonly value: string }[];
  readonly objectMappings?: readonly {
    readonly sourceObjectName?: string;
    readonly enabled?: boolean;
    readonly attributeMappings?: readonly AttributeMapping[];
  }[];
}

export interface OnDemandTarget {
  readonly servicePrincipalId: string;
  readonly jobId: string;
  /** The rule whose metadata says supportsProvisionOnDemand=true, else the first (non-gallery: one rule). */
  readonly ruleId: string;
  /** The rule's enabled user mappings: what Entra will send for a user, checked in the SCIM service. */
  readonly userMappings: readonly AttributeMapping[];
}

/** One read of the job schema gives both the rule to provision with and the user mappings to expect. */
export async function readOnDemandTarget(
  graph: TrialGraph,
  servicePrincipalId: string,
  jobId: string,
): Promise<OnDemandTarget> {
  const schema = await graph.get<{ synchronizationRules?: SchemaRule[] }>(
    `/servicePrincipals/${servicePrincipalId}/synchronization/jobs/${jobId}/schema`,
  );
  const rules = schema.synchronizationRules ?? [];
  const rule =
    rules.find((candidate) =>
      (candidate.metadata ?? []).some(
        (entry) => entry.key === "supportsProvisionOnDemand" && entry.value.toLowerCase() === "true",
      ),
    ) ?? rules[0];
  if (!rule) {
    throw new Error(`the provisioning job ${jobId} has no synchronization rule to provision on demand with`);
  }
  const userMapping = (rule.objectMappings ?? []).find(
    (mapping) => mapping.sourceObjectName === "User" && mapping.enabled !== false,
  );
  return { servicePrincipalId, jobId, ruleId: rule.id, userMappings: userMapping?.attributeMappings ?? [] };
}

export async function provisionOnDemand(
  graph: TrialGraph,
  limiter: RateLimiter,
  target: Pick<OnDemandTarget, "servicePrincipalId" | "jobId" | "ruleId">,
  subject: { objectId: string; objectTypeName: "User" | "Group" },
): Promise<OnDemandResult> {
  await limiter.acquire();
  const response = await graph.post<{ key?: string; value?: string }>(
    `/servicePrincipals/${target.servicePrincipalId}/synchronization/jobs/${target.jobId}/provisionOnDemand`,
    { parameters: [{ ruleId: target.ruleId, subjects: [subject] }] },
    { mayLagReplication: true },
  );
  // `value` is a JSON document inside a string (../shared/docs/graph-provisioning.md).
  let details: { result?: string; statusInfo?: { errorInformation?: { reason?: string } | null } } = {};
  try {
    details = JSON.parse(response.value ?? "{}");
  } catch {
    return {
      objectId: subject.objectId,
      result: "Failure",
      message: "provisionOnDemand answered unparseable JSON",
    };
  }
  return {
    objectId: subject.objectId,
    result: details.result ?? "Unknown",
    message: details.statusInfo?.errorInformation?.reason ?? undefined,
  };
}

/**
 * Right after an assignment, provision on demand can answer "Skipped" (not in scope) for minutes while
 * the assignment replicates (../shared/docs/graph-provisioning.md, "Provision on demand"). Retry a
 * Skipped result a few times, waiting base, 2×base, 4×base (SCIMKIT_TRIAL_RETRY_BASE_MS, default 20 s);
 * a Failure is the service's answer and is reported as it is.
 */
export async function provisionUntilAssignmentReplicates(
  graph: TrialGraph,
  limiter: RateLimiter,
  target: Pick<OnDemandTarget, "servicePrincipalId" | "jobId" | "ruleId">,
  subject: { objectId: string; objectTypeName: "User" | "Group" },
  retries = 3,
): Promise<OnDemandResult> {
  const configured = process.env.SCIMKIT_TRIAL_RETRY_BASE_MS;
  const baseMs = configured && /^\d+$/.test(configured) ? Number(configured) : 20_000;
  let result = await provisionOnDemand(graph, limiter, target, subject);
  for (let attempt = 0; attempt < retries && result.result === "Skipped"; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, baseMs * 2 ** attempt));
    result = await provisionOnDemand(graph, limiter, target, subject);
  }
  return result;
}
