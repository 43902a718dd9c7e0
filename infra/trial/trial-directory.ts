/**
 * The trial objects in the tenant: find-or-create the test users and group and assign them to the app
 * (idempotent, so a re-run after a partial failure converges), and remove them again, purging from
 * deleted items when asked (../shared/docs/graph-provisioning.md, "Assign users and groups", "Teardown").
 */
import { randomBytes } from "node:crypto";
import type { TrialGraph } from "./trial-graph";
import type { TrialPlan, TrialUserPlan } from "./trial-plan";

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

/**
 * Removes what ensureTrialObjects made. Objects already gone count as removed (404), so destroy can be
 * re-run after a partial failure. Purging needs the object's id in deleted items; Graph may take a
 * moment to list it there, hence mayLagReplication.
 */
export async function removeTrialObjects(
  graph: TrialGraph,
  servicePrincipalId: string,
  objects: { readonly users: TrialObjects["users"]; readonly group?: TrialObjects["group"] },
  purge: boolean,
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
    ...(objects.group
      ? [{ kind: "groups", id: objects.group.id, assignmentId: objects.group.assignmentId }]
      : []),
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
