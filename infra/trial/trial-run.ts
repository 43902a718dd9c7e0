/**
 * What trial mode does, step by step, over infra/graph's client and the SCIM endpoint:
 *   ensureTrialObjects   find-or-create the test users and group, assign them to the app (idempotent)
 *   provisionTrialUsers  provision-on-demand each user, within Entra's 5-per-10-s limit
 *   verifyInScim         GET /Users?filter=userName eq "…" on the deployed service; compare mapped attributes
 *   removeTrialObjects   unassign, delete, and (when asked) purge from deleted items
 * Graph calls follow ../shared/docs/graph-provisioning.md ("Assign users and groups", "Provision on demand").
 */
import { randomBytes } from "node:crypto";
import type { RateLimiter } from "./on-demand-rate-limiter";
import type { TrialPlan, TrialUserPlan } from "./trial-plan";

/** The slice of infra/graph's GraphClient trial mode uses. */
export interface TrialGraph {
  get<T>(path: string, options?: GraphOptions): Promise<T>;
  list<T>(path: string, options?: GraphOptions): Promise<T[]>;
  post<T>(path: string, body: unknown, options?: GraphOptions): Promise<T>;
  delete(path: string, options?: GraphOptions): Promise<void>;
}
interface GraphOptions {
  readonly query?: Readonly<Record<string, string>>;
  readonly mayLagReplication?: boolean;
}

/** The app role of the non-gallery template that assignments use ("User"). */
export const DEFAULT_TRIAL_APP_ROLE_ID = "18d14569-c3bd-439b-9a66-3a2aee01d14f";

export interface TrialUserRecord {
  readonly id: string;
  readonly userPrincipalName: string;
  readonly assignmentId: string;
}

export interface TrialObjects {
  readonly users: readonly TrialUserRecord[];
  readonly group: { readonly id: string; readonly displayName: string; readonly assignmentId: string };
}

function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export async function ensureTrialObjects(
  graph: TrialGraph,
  servicePrincipalId: string,
  plan: TrialPlan,
  appRoleId: string = DEFAULT_TRIAL_APP_ROLE_ID,
): Promise<TrialObjects> {
  const assignments = await graph.list<{ id: string; principalId: string; appRoleId: string }>(
    `/servicePrincipals/${servicePrincipalId}/appRoleAssignedTo`,
    { mayLagReplication: true },
  );
  const ensureAssignment = async (principalId: string): Promise<string> => {
    const existing = assignments.find((assignment) => assignment.principalId === principalId);
    if (existing) return existing.id;
    const created = await graph.post<{ id: string }>(
      `/servicePrincipals/${servicePrincipalId}/appRoleAssignedTo`,
      { principalId, resourceId: servicePrincipalId, appRoleId },
      { mayLagReplication: true },
    );
    return created.id;
  };
  const users: TrialUserRecord[] = [];
  for (const user of plan.users) {
    const id = await ensureUser(graph, user);
    users.push({ id, userPrincipalName: user.userPrincipalName, assignmentId: await ensureAssignment(id) });
  }
  const groupId = await ensureGroup(graph, plan.group);
  return {
    users,
    group: {
      id: groupId,
      displayName: plan.group.displayName,
      assignmentId: await ensureAssignment(groupId),
    },
  };
}

async function ensureUser(graph: TrialGraph, user: TrialUserPlan): Promise<string> {
  const found = await graph.list<{ id: string }>("/users", {
    query: { $filter: `userPrincipalName eq ${literal(user.userPrincipalName)}` },
  });
  if (found.length > 0) return found[0].id;
  const created = await graph.post<{ id: string }>("/users", {
    accountEnabled: true,
    displayName: user.displayName,
    givenName: user.givenName,
    surname: user.surname,
    mailNickname: user.mailNickname,
    userPrincipalName: user.userPrincipalName,
    // Nobody signs in as a trial user: a random password, never stored, never shown.
    passwordProfile: {
      forceChangePasswordNextSignIn: true,
      password: `${randomBytes(24).toString("base64url")}aA1!`,
    },
  });
  return created.id;
}

async function ensureGroup(graph: TrialGraph, group: TrialPlan["group"]): Promise<string> {
  const found = await graph.list<{ id: string }>("/groups", {
    query: { $filter: `displayName eq ${literal(group.displayName)}` },
  });
  if (found.length > 0) return found[0].id;
  const created = await graph.post<{ id: string }>("/groups", {
    displayName: group.displayName,
    mailNickname: group.mailNickname,
    mailEnabled: false,
    securityEnabled: true,
    description: "scimkit trial group: created and deleted by `pulumi up` / `pulumi destroy`",
  });
  return created.id;
}

export interface OnDemandResult {
  readonly objectId: string;
  /** Success | Skipped | Failure (Entra's words) */
  readonly result: string;
  readonly message?: string;
}

/**
 * The rule to provision on demand with: the one whose metadata says supportsProvisionOnDemand=true,
 * else the first (the non-gallery template has one rule).
 */
export async function onDemandRuleId(
  graph: TrialGraph,
  servicePrincipalId: string,
  jobId: string,
): Promise<string> {
  const schema = await graph.get<{
    synchronizationRules?: { id: string; metadata?: { key: string; value: string }[] }[];
  }>(`/servicePrincipals/${servicePrincipalId}/synchronization/jobs/${jobId}/schema`);
  const rules = schema.synchronizationRules ?? [];
  const rule =
    rules.find((candidate) =>
      (candidate.metadata ?? []).some(
        (entry) => entry.key === "supportsProvisionOnDemand" && entry.value.toLowerCase() === "true",
      ),
    ) ?? rules[0];
  if (!rule)
    throw new Error(`the provisioning job ${jobId} has no synchronization rule to provision on demand with`);
  return rule.id;
}

export async function provisionOnDemand(
  graph: TrialGraph,
  limiter: RateLimiter,
  target: { servicePrincipalId: string; jobId: string; ruleId: string },
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
  target: { servicePrincipalId: string; jobId: string; ruleId: string },
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

export interface ScimCheck {
  readonly userPrincipalName: string;
  readonly found: boolean;
  readonly scimId?: string;
  /** `attribute: expected "x", got "y"` for each mapped attribute that differs. */
  readonly mismatches: readonly string[];
}

/** Expected SCIM values for a trial user under the default mappings (issue #6's seed-app table). */
export function expectedScimAttributes(user: TrialUserPlan): Record<string, unknown> {
  return {
    userName: user.userPrincipalName,
    active: true,
    "name.givenName": user.givenName,
    "name.familyName": user.surname,
    externalId: user.mailNickname,
  };
}

export async function verifyInScim(
  scim: { baseUrl: string; token: string },
  user: TrialUserPlan,
  fetchImplementation: typeof fetch = fetch,
): Promise<ScimCheck> {
  const filter = `userName eq "${user.userPrincipalName.replace(/"/g, '\\"')}"`;
  const url = `${scim.baseUrl.replace(/\/+$/, "")}/Users?filter=${encodeURIComponent(filter)}`;
  const response = await fetchImplementation(url, {
    headers: { authorization: `Bearer ${scim.token}`, accept: "application/scim+json" },
    signal: AbortSignal.timeout(15_000),
  });
  if (response.status !== 200) {
    // Never include the token; the URL and status say what to look at.
    throw new Error(
      `SCIM check GET ${url} answered ${response.status}: is the service up and the token right?`,
    );
  }
  const body = (await response.json()) as { Resources?: Record<string, unknown>[] };
  const resource = body.Resources?.[0];
  if (!resource) return { userPrincipalName: user.userPrincipalName, found: false, mismatches: [] };
  const mismatches = Object.entries(expectedScimAttributes(user))
    .map(([path, expected]) => {
      const actual = readPath(resource, path);
      const equal =
        typeof expected === "string" && typeof actual === "string"
          ? expected.toLowerCase() === actual.toLowerCase() || expected === actual
          : expected === actual;
      return equal
        ? undefined
        : `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
    })
    .filter((mismatch): mismatch is string => mismatch !== undefined);
  return { userPrincipalName: user.userPrincipalName, found: true, scimId: String(resource.id), mismatches };
}

function readPath(resource: Record<string, unknown>, path: string): unknown {
  let current: unknown = resource;
  for (const segment of path.split(".")) {
    if (!current || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/**
 * Removes what ensureTrialObjects made. Objects already gone count as removed (404), so destroy can be
 * re-run after a partial failure. Purging needs the object's id in deleted items; Graph may take a
 * moment to list it there, hence mayLagReplication.
 */
export async function removeTrialObjects(
  graph: TrialGraph,
  servicePrincipalId: string,
  objects: TrialObjects,
  purge: boolean,
  options: { readonly keepGroup?: boolean } = {},
): Promise<void> {
  /** True when the call did something, false when the object was already gone (404). */
  const ignoreMissing = async (call: () => Promise<void>): Promise<boolean> => {
    try {
      await call();
      return true;
    } catch (error) {
      if ((error as { status?: number }).status !== 404) throw error;
      return false;
    }
  };
  const principals = [
    ...objects.users.map((user) => ({ kind: "users", id: user.id, assignmentId: user.assignmentId })),
    ...(options.keepGroup
      ? []
      : [{ kind: "groups", id: objects.group.id, assignmentId: objects.group.assignmentId }]),
  ];
  for (const principal of principals) {
    await ignoreMissing(() =>
      graph.delete(`/servicePrincipals/${servicePrincipalId}/appRoleAssignedTo/${principal.assignmentId}`),
    );
    const justDeleted = await ignoreMissing(() => graph.delete(`/${principal.kind}/${principal.id}`));
    if (purge) {
      // Only an object deleted a moment ago may not be listed in deleted items yet: wait for it then;
      // one deleted earlier is either there or already purged.
      await ignoreMissing(() =>
        graph.delete(`/directory/deletedItems/${principal.id}`, { mayLagReplication: justDeleted }),
      );
    }
  }
}

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
  readonly group: TrialObjects["group"] & { readonly provisioning: string };
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
  const ruleId = await onDemandRuleId(graph, inputs.servicePrincipalId, inputs.jobId);
  const target = { servicePrincipalId: inputs.servicePrincipalId, jobId: inputs.jobId, ruleId };
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
