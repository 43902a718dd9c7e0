/**
 * Enterprise application from an application template: the app registration, its service principal
 * and the extra app roles config declares.
 *
 * POST /applicationTemplates/{id}/instantiate is NOT idempotent (every call makes a new app), so create
 * first looks for an app this stack already made (same template, same name, carrying the stack's
 * ownership tag) — a create interrupted after instantiate is then adopted instead of duplicated.
 */
import * as pulumi from "@pulumi/pulumi";
import { createGraphClient, type GraphClient } from "../../graph/client";
import { isNotFound } from "../../graph/graph-error";
import {
  type AppRoleSpec,
  desiredRolesView,
  type GraphAppRole,
  managedRolesView,
  planAppRoles,
} from "../app-roles";
import { presentOwners, reconcileOwners } from "../owners";
import { odataString } from "../principals";

export interface EnterpriseApplicationInputs {
  readonly templateId: string;
  readonly displayName: string;
  readonly appRoles: readonly AppRoleSpec[];
  /** Owners (user object ids or UPNs) of the app and its service principal. */
  readonly owners: readonly string[];
  /** Written into application.tags; identifies this stack's app for find-or-create. */
  readonly ownershipTag: string;
  readonly permanentlyDeleteOnDestroy: boolean;
  /** Bump when the provider's behaviour changes so existing stacks re-apply. */
  readonly providerVersion: string;
  /** The national cloud's Graph root; SCIMKIT_GRAPH_ENDPOINT overrides it at deploy time. */
  readonly graphEndpoint?: string;
}

export interface EnterpriseApplicationOutputs extends EnterpriseApplicationInputs {
  readonly applicationObjectId: string;
  readonly appId: string;
  readonly servicePrincipalId: string;
  /** Object ids of the declared owners that are in place. */
  readonly ownerIds: readonly string[];
}

interface GraphApplication {
  id: string;
  appId: string;
  displayName: string;
  applicationTemplateId?: string | null;
  tags?: string[];
  appRoles?: GraphAppRole[];
}

async function findOwnedApplication(graph: GraphClient, inputs: EnterpriseApplicationInputs) {
  const candidates = await graph.list<GraphApplication>("/applications", {
    query: { $filter: `displayName eq ${odataString(inputs.displayName)}` },
  });
  return candidates.find(
    (app) =>
      app.applicationTemplateId === inputs.templateId && (app.tags ?? []).includes(inputs.ownershipTag),
  );
}

async function servicePrincipalIdOf(graph: GraphClient, appId: string): Promise<string> {
  const found = await graph.list<{ id: string }>("/servicePrincipals", {
    query: { $filter: `appId eq ${odataString(appId)}` },
    mayLagReplication: true,
  });
  if (found.length === 0) throw new Error(`The service principal of application ${appId} was not found.`);
  return found[0].id;
}

async function applyAppRoles(
  graph: GraphClient,
  applicationObjectId: string,
  desired: readonly AppRoleSpec[],
  previouslyManaged: readonly string[],
) {
  const app = await graph.get<GraphApplication>(`/applications/${applicationObjectId}`, {
    mayLagReplication: true,
  });
  const plan = planAppRoles(app.appId, app.appRoles ?? [], desired, previouslyManaged);
  if (plan.disableFirst) {
    await graph.patch(
      `/applications/${applicationObjectId}`,
      { appRoles: plan.disableFirst },
      { mayLagReplication: true },
    );
  }
  if (plan.final) {
    await graph.patch(
      `/applications/${applicationObjectId}`,
      { appRoles: plan.final },
      { mayLagReplication: true },
    );
  }
}

const enterpriseApplicationProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: EnterpriseApplicationInputs) {
    const graph = createGraphClient({ defaultEndpoint: inputs.graphEndpoint });
    let app = await findOwnedApplication(graph, inputs);
    let servicePrincipalId: string;
    if (app) {
      servicePrincipalId = await servicePrincipalIdOf(graph, app.appId);
    } else {
      const created = await graph.post<{ application: GraphApplication; servicePrincipal: { id: string } }>(
        `/applicationTemplates/${encodeURIComponent(inputs.templateId)}/instantiate`,
        { displayName: inputs.displayName },
      );
      app = created.application;
      servicePrincipalId = created.servicePrincipal.id;
      await graph.patch(
        `/applications/${app.id}`,
        { tags: [...(app.tags ?? []), inputs.ownershipTag] },
        { mayLagReplication: true },
      );
    }
    // Wait until both objects are readable, so a refresh right after create does not take the
    // replication lag for a deletion.
    await graph.get(`/servicePrincipals/${servicePrincipalId}`, { mayLagReplication: true });
    await applyAppRoles(graph, app.id, inputs.appRoles, []);
    const ownerIds = await reconcileOwners(
      graph,
      [`/applications/${app.id}`, `/servicePrincipals/${servicePrincipalId}`],
      inputs.owners,
      [],
    );
    const outs: EnterpriseApplicationOutputs = {
      ...inputs,
      applicationObjectId: app.id,
      appId: app.appId,
      servicePrincipalId,
      ownerIds,
    };
    return { id: app.id, outs };
  },

  async read(id: string, props: EnterpriseApplicationOutputs) {
    const graph = createGraphClient({ defaultEndpoint: props.graphEndpoint });
    let app: GraphApplication;
    try {
      app = await graph.get<GraphApplication>(`/applications/${id}`);
      await graph.get(`/servicePrincipals/${props.servicePrincipalId}`);
    } catch (error) {
      if (isNotFound(error)) return { id: "", props: {} };
      throw error;
    }
    const managed = props.appRoles.map((role) => role.value);
    // Report the roles as Graph has them so refresh/preview show portal edits.
    const liveRoles = managedRolesView(app.appRoles ?? [], managed)
      .filter((role) => role.isEnabled)
      .map(({ value, displayName, description, allowedMemberTypes }) => ({
        value,
        displayName,
        description,
        allowedMemberTypes: allowedMemberTypes as AppRoleSpec["allowedMemberTypes"],
      }));
    const ownerIds = await presentOwners(
      graph,
      [`/applications/${id}`, `/servicePrincipals/${props.servicePrincipalId}`],
      props.ownerIds ?? [],
    );
    return { id, props: { ...props, displayName: app.displayName, appRoles: liveRoles, ownerIds } };
  },

  async diff(_id: string, olds: EnterpriseApplicationOutputs, news: EnterpriseApplicationInputs) {
    const replaces = olds.templateId !== news.templateId ? ["templateId"] : [];
    const changed =
      replaces.length > 0 ||
      olds.displayName !== news.displayName ||
      olds.ownershipTag !== news.ownershipTag ||
      olds.permanentlyDeleteOnDestroy !== news.permanentlyDeleteOnDestroy ||
      olds.providerVersion !== news.providerVersion ||
      JSON.stringify(olds.owners) !== JSON.stringify(news.owners) ||
      // An owner removed in the portal: refresh dropped it from ownerIds.
      (olds.ownerIds ?? []).length !== (olds.owners ?? []).length ||
      JSON.stringify(desiredRolesView(olds.appRoles)) !== JSON.stringify(desiredRolesView(news.appRoles));
    return { changes: changed, replaces, deleteBeforeReplace: false };
  },

  async update(id: string, olds: EnterpriseApplicationOutputs, news: EnterpriseApplicationInputs) {
    const graph = createGraphClient({ defaultEndpoint: news.graphEndpoint });
    if (olds.displayName !== news.displayName) {
      await graph.patch(`/applications/${id}`, { displayName: news.displayName });
      await graph.patch(`/servicePrincipals/${olds.servicePrincipalId}`, { displayName: news.displayName });
    }
    await applyAppRoles(
      graph,
      id,
      news.appRoles,
      olds.appRoles.map((role) => role.value),
    );
    const ownerIds = await reconcileOwners(
      graph,
      [`/applications/${id}`, `/servicePrincipals/${olds.servicePrincipalId}`],
      news.owners,
      olds.ownerIds ?? [],
    );
    const outs: EnterpriseApplicationOutputs = {
      ...news,
      applicationObjectId: id,
      appId: olds.appId,
      servicePrincipalId: olds.servicePrincipalId,
      ownerIds,
    };
    return { outs };
  },

  async delete(id: string, props: EnterpriseApplicationOutputs) {
    const graph = createGraphClient({ defaultEndpoint: props.graphEndpoint });
    const ignoreMissing = (error: unknown) => {
      if (!isNotFound(error)) throw error;
    };
    await graph.delete(`/servicePrincipals/${props.servicePrincipalId}`).catch(ignoreMissing);
    await graph.delete(`/applications/${id}`).catch(ignoreMissing);
    if (props.permanentlyDeleteOnDestroy) {
      // Soft-deleted apps stay 30 days and count against a non-admin creator's 250-object quota.
      await graph.delete(`/directory/deletedItems/${id}`, { mayLagReplication: true });
      await graph.delete(`/directory/deletedItems/${props.servicePrincipalId}`).catch(ignoreMissing);
    }
  },
};

export interface EnterpriseApplicationArgs {
  /** The national cloud's Graph root (SCIMKIT_GRAPH_ENDPOINT overrides it at deploy time). */
  readonly graphEndpoint?: pulumi.Input<string>;
  readonly templateId: pulumi.Input<string>;
  readonly displayName: pulumi.Input<string>;
  readonly appRoles: pulumi.Input<readonly AppRoleSpec[]>;
  readonly owners: pulumi.Input<readonly string[]>;
  readonly ownershipTag: pulumi.Input<string>;
  readonly permanentlyDeleteOnDestroy: pulumi.Input<boolean>;
}

export const ENTERPRISE_APPLICATION_PROVIDER_VERSION = "2";

export class EnterpriseApplication extends pulumi.dynamic.Resource {
  declare readonly applicationObjectId: pulumi.Output<string>;
  declare readonly appId: pulumi.Output<string>;
  declare readonly servicePrincipalId: pulumi.Output<string>;
  declare readonly displayName: pulumi.Output<string>;

  constructor(name: string, args: EnterpriseApplicationArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      enterpriseApplicationProvider,
      name,
      {
        ...args,
        providerVersion: ENTERPRISE_APPLICATION_PROVIDER_VERSION,
        applicationObjectId: undefined,
        appId: undefined,
        servicePrincipalId: undefined,
        ownerIds: undefined,
      },
      opts,
      "scimkit",
      "EnterpriseApplication",
    );
  }
}

export { enterpriseApplicationProvider };
