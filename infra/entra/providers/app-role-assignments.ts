/**
 * Users and groups assigned to the enterprise application's roles ("Users and groups" blade).
 * Principals named by UPN or group name are resolved at deploy time. Only the assignments this
 * resource made are managed; assignments added in the portal are left alone.
 */
import * as pulumi from "@pulumi/pulumi";
import { createGraphClient, type GraphClient } from "../../graph/client";
import { GraphRequestError, isNotFound } from "../../graph/graph-error";
import {
  type AssignmentSpec,
  resolveGroupId,
  resolveRoleId,
  resolveUserId,
  type ServicePrincipalRole,
} from "../principals";

export interface AppRoleAssignmentsInputs {
  readonly servicePrincipalId: string;
  readonly assignments: readonly AssignmentSpec[];
  readonly providerVersion: string;
  /** The national cloud's Graph root; SCIMKIT_GRAPH_ENDPOINT overrides it at deploy time. */
  readonly graphEndpoint?: string;
}

export interface ResolvedAssignment {
  readonly principalId: string;
  readonly appRoleId: string;
  readonly assignmentId: string;
}

export interface AppRoleAssignmentsOutputs extends AppRoleAssignmentsInputs {
  /** What exists in Entra now, one entry per declared assignment that is in place. */
  readonly resolved: readonly ResolvedAssignment[];
}

interface GraphAssignment {
  id: string;
  principalId: string;
  appRoleId: string;
}

export function specKey(spec: AssignmentSpec): string {
  return JSON.stringify([spec.user ?? null, spec.group ?? null, spec.role ?? "User"]);
}

async function resolveSpec(graph: GraphClient, roles: readonly ServicePrincipalRole[], spec: AssignmentSpec) {
  const principalId = spec.user
    ? await resolveUserId(graph, spec.user)
    : await resolveGroupId(graph, spec.group!);
  return { principalId, appRoleId: resolveRoleId(roles, spec.role) };
}

async function reconcile(
  graph: GraphClient,
  inputs: AppRoleAssignmentsInputs,
  previously: readonly ResolvedAssignment[],
) {
  const sp = await graph.get<{ appRoles?: ServicePrincipalRole[] }>(
    `/servicePrincipals/${inputs.servicePrincipalId}`,
    {
      mayLagReplication: true,
    },
  );
  const existing = await graph.list<GraphAssignment>(
    `/servicePrincipals/${inputs.servicePrincipalId}/appRoleAssignedTo`,
    {
      mayLagReplication: true,
    },
  );
  const wanted = [];
  for (const spec of inputs.assignments) wanted.push(await resolveSpec(graph, sp.appRoles ?? [], spec));
  const resolved: ResolvedAssignment[] = [];
  for (const target of wanted) {
    const present = existing.find(
      (a) => a.principalId === target.principalId && a.appRoleId === target.appRoleId,
    );
    if (present) {
      resolved.push({ ...target, assignmentId: present.id });
      continue;
    }
    try {
      const created = await graph.post<GraphAssignment>(
        `/servicePrincipals/${inputs.servicePrincipalId}/appRoleAssignedTo`,
        {
          principalId: target.principalId,
          resourceId: inputs.servicePrincipalId,
          appRoleId: target.appRoleId,
        },
        { mayLagReplication: true },
      );
      resolved.push({ ...target, assignmentId: created.id });
    } catch (error) {
      throw error instanceof GraphRequestError
        ? new Error(`Assigning principal ${target.principalId} to the app failed: ${error.graphMessage}`)
        : error;
    }
  }
  // Remove what this resource assigned before and config no longer declares.
  for (const old of previously) {
    const stillWanted = resolved.some(
      (r) => r.principalId === old.principalId && r.appRoleId === old.appRoleId,
    );
    if (!stillWanted && existing.some((a) => a.id === old.assignmentId)) {
      await graph.delete(
        `/servicePrincipals/${inputs.servicePrincipalId}/appRoleAssignedTo/${old.assignmentId}`,
      );
    }
  }
  return resolved;
}

const appRoleAssignmentsProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: AppRoleAssignmentsInputs) {
    const resolved = await reconcile(
      createGraphClient({ defaultEndpoint: inputs.graphEndpoint }),
      inputs,
      [],
    );
    return { id: `${inputs.servicePrincipalId}/assignments`, outs: { ...inputs, resolved } };
  },

  async read(id: string, props: AppRoleAssignmentsOutputs) {
    const graph = createGraphClient({ defaultEndpoint: props.graphEndpoint });
    let existing: GraphAssignment[];
    try {
      existing = await graph.list<GraphAssignment>(
        `/servicePrincipals/${props.servicePrincipalId}/appRoleAssignedTo`,
      );
    } catch (error) {
      if (isNotFound(error)) return { id: "", props: {} };
      throw error;
    }
    const resolved = props.resolved.filter((r) => existing.some((a) => a.id === r.assignmentId));
    return { id, props: { ...props, resolved } };
  },

  async diff(_id: string, olds: AppRoleAssignmentsOutputs, news: AppRoleAssignmentsInputs) {
    const declared = (specs: readonly AssignmentSpec[]) => specs.map(specKey).sort().join("|");
    const replaces = olds.servicePrincipalId !== news.servicePrincipalId ? ["servicePrincipalId"] : [];
    const changes =
      replaces.length > 0 ||
      declared(olds.assignments) !== declared(news.assignments) ||
      // An assignment removed in the portal: refresh dropped it from `resolved`.
      olds.resolved.length !== olds.assignments.length ||
      olds.providerVersion !== news.providerVersion;
    return { changes, replaces };
  },

  async update(_id: string, olds: AppRoleAssignmentsOutputs, news: AppRoleAssignmentsInputs) {
    const resolved = await reconcile(
      createGraphClient({ defaultEndpoint: news.graphEndpoint }),
      news,
      olds.resolved,
    );
    return { outs: { ...news, resolved } };
  },

  async delete(_id: string, props: AppRoleAssignmentsOutputs) {
    const graph = createGraphClient({ defaultEndpoint: props.graphEndpoint });
    for (const assignment of props.resolved) {
      await graph
        .delete(`/servicePrincipals/${props.servicePrincipalId}/appRoleAssignedTo/${assignment.assignmentId}`)
        .catch((error) => {
          if (!isNotFound(error)) throw error;
        });
    }
  },
};

export interface AppRoleAssignmentsArgs {
  /** The national cloud's Graph root (SCIMKIT_GRAPH_ENDPOINT overrides it at deploy time). */
  readonly graphEndpoint?: pulumi.Input<string>;
  readonly servicePrincipalId: pulumi.Input<string>;
  readonly assignments: pulumi.Input<readonly AssignmentSpec[]>;
}

export const APP_ROLE_ASSIGNMENTS_PROVIDER_VERSION = "1";

export class AppRoleAssignments extends pulumi.dynamic.Resource {
  declare readonly resolved: pulumi.Output<ResolvedAssignment[]>;

  constructor(name: string, args: AppRoleAssignmentsArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      appRoleAssignmentsProvider,
      name,
      { ...args, providerVersion: APP_ROLE_ASSIGNMENTS_PROVIDER_VERSION, resolved: undefined },
      opts,
      "scimkit",
      "AppRoleAssignments",
    );
  }
}

export { appRoleAssignmentsProvider };
