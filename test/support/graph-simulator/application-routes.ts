/**
 * Enterprise applications: instantiate from a template (NOT idempotent: every call makes a new app),
 * the app registration and its app roles, the service principal, and app role assignments.
 */
import { randomUUID } from "node:crypto";
import {
  badRequest,
  DEFAULT_ACCESS_ROLE_ID,
  filterBy,
  MSIAM_ACCESS_ROLE_ID,
  NON_GALLERY_TEMPLATE_IDS,
  notFound,
  now,
  type Route,
  SimulatedGraphError,
  servicePrincipal,
  USER_ROLE_ID,
} from "./route-support";
import type { Json, SimulatorState } from "./state";

function syncApplicationRoles(state: SimulatorState, application: Json) {
  for (const sp of state.servicePrincipals.values()) {
    if (sp.appId === application.appId) sp.appRoles = structuredClone(application.appRoles);
  }
}

function removeObject(state: SimulatorState, kind: "application" | "servicePrincipal", id: string) {
  if (kind === "servicePrincipal") {
    const sp = state.servicePrincipals.get(id);
    if (!sp) return;
    state.servicePrincipals.delete(id);
    state.synchronization.delete(id);
    state.assignments.delete(id);
    state.deletedItems.set(id, {
      ...sp,
      "@odata.type": "#microsoft.graph.servicePrincipal",
      deletedDateTime: now(),
    });
    return;
  }
  const application = state.applications.get(id);
  if (!application) return;
  state.applications.delete(id);
  state.deletedItems.set(id, {
    ...application,
    "@odata.type": "#microsoft.graph.application",
    deletedDateTime: now(),
  });
  // Deleting an application also deletes its service principal in the home tenant.
  for (const [spId, sp] of state.servicePrincipals) {
    if (sp.appId === application.appId) removeObject(state, "servicePrincipal", spId);
  }
}

export const APPLICATION_ROUTES: Route[] = [
  [
    "POST",
    "/applicationTemplates/{applicationTemplate-id}/instantiate",
    "applicationTemplates.instantiate",
    ({ state, options, params, body }) => {
      const [templateId] = params;
      const galleryTemplate = options.galleryTemplates[templateId];
      if (!NON_GALLERY_TEMPLATE_IDS.has(templateId) && !galleryTemplate)
        throw notFound(`Template '${templateId}'`);
      const displayName = String(body?.displayName ?? "");
      if (!displayName) throw badRequest("displayName is required.");
      const appId = randomUUID();
      const appRoles = [
        {
          id: USER_ROLE_ID,
          allowedMemberTypes: ["User"],
          description: "User",
          displayName: "User",
          isEnabled: true,
          origin: "Application",
          value: null,
        },
        {
          id: MSIAM_ACCESS_ROLE_ID,
          allowedMemberTypes: ["User"],
          description: "msiam_access",
          displayName: "msiam_access",
          isEnabled: true,
          origin: "Application",
          value: null,
        },
      ];
      const application = {
        id: randomUUID(),
        appId,
        displayName,
        applicationTemplateId: templateId,
        appRoles,
        tags: [],
        createdDateTime: now(),
      };
      const sp = {
        id: randomUUID(),
        appId,
        displayName,
        applicationTemplateId: templateId,
        appRoleAssignmentRequired: true,
        appRoles: structuredClone(appRoles),
        servicePrincipalType: "Application",
        tags: ["WindowsAzureActiveDirectoryIntegratedApp"],
        notificationEmailAddresses: [],
      };
      state.applications.set(application.id, application);
      state.servicePrincipals.set(sp.id, sp);
      state.assignments.set(sp.id, []);
      state.synchronization.set(sp.id, {
        secrets: new Map(),
        jobs: new Map(),
        templates: [
          {
            id: galleryTemplate ?? "scim",
            applicationId: appId,
            default: true,
            discoverable: true,
            factoryTag: galleryTemplate ?? "CustomSCIM",
            description: null,
            metadata: [],
          },
        ],
      });
      for (const id of [application.id, sp.id]) state.replicationLag.set(id, options.replicationLagCalls);
      return { status: 201, body: { application, servicePrincipal: sp } };
    },
  ],
  [
    "GET",
    "/applications",
    "applications.list",
    ({ state, query }) => ({
      status: 200,
      body: { value: filterBy(state.applications.values(), query.get("$filter")) },
    }),
  ],
  [
    "GET",
    "/applications/{application-id}",
    "applications.get",
    ({ state, params }) => {
      const application = state.applications.get(params[0]);
      if (!application) throw notFound(`Resource '${params[0]}'`);
      return { status: 200, body: application };
    },
  ],
  [
    "PATCH",
    "/applications/{application-id}",
    "applications.update",
    ({ state, params, body }) => {
      const application = state.applications.get(params[0]);
      if (!application) throw notFound(`Resource '${params[0]}'`);
      if (body?.appRoles) {
        const next = body.appRoles as Json[];
        for (const role of application.appRoles as Json[]) {
          const kept = next.find((candidate) => candidate.id === role.id);
          // Graph refuses to remove or change a role that is still enabled: disable it first.
          if (!kept && role.isEnabled) {
            throw badRequest(
              "Property value cannot be deleted unless it is disabled first.",
              "CannotDeleteOrUpdateEnabledEntitlement",
            );
          }
        }
        const values = next.map((role) => role.value).filter((value) => value);
        if (new Set(values).size !== values.length) throw badRequest("App role values must be unique.");
        application.appRoles = structuredClone(next);
        syncApplicationRoles(state, application);
      }
      for (const key of Object.keys(body ?? {})) {
        if (key !== "appRoles") application[key] = structuredClone((body as Json)[key]);
      }
      return { status: 204 };
    },
  ],
  [
    "DELETE",
    "/applications/{application-id}",
    "applications.delete",
    ({ state, params }) => {
      if (!state.applications.has(params[0])) throw notFound(`Resource '${params[0]}'`);
      removeObject(state, "application", params[0]);
      return { status: 204 };
    },
  ],
  [
    "GET",
    "/servicePrincipals",
    "servicePrincipals.list",
    ({ state, query }) => ({
      status: 200,
      body: { value: filterBy(state.servicePrincipals.values(), query.get("$filter")) },
    }),
  ],
  [
    "GET",
    "/servicePrincipals/{servicePrincipal-id}",
    "servicePrincipals.get",
    ({ state, params }) => ({ status: 200, body: servicePrincipal(state, params[0]) }),
  ],
  [
    "PATCH",
    "/servicePrincipals/{servicePrincipal-id}",
    "servicePrincipals.update",
    ({ state, params, body }) => {
      Object.assign(servicePrincipal(state, params[0]), structuredClone(body ?? {}));
      return { status: 204 };
    },
  ],
  [
    "DELETE",
    "/servicePrincipals/{servicePrincipal-id}",
    "servicePrincipals.delete",
    ({ state, params }) => {
      servicePrincipal(state, params[0]);
      removeObject(state, "servicePrincipal", params[0]);
      return { status: 204 };
    },
  ],
  [
    "GET",
    "/servicePrincipals/{servicePrincipal-id}/appRoleAssignedTo",
    "servicePrincipals.appRoleAssignedTo.list",
    ({ state, params }) => {
      servicePrincipal(state, params[0]);
      return { status: 200, body: { value: state.assignments.get(params[0]) ?? [] } };
    },
  ],
  [
    "POST",
    "/servicePrincipals/{servicePrincipal-id}/appRoleAssignedTo",
    "servicePrincipals.appRoleAssignedTo.create",
    ({ state, params, body }) => {
      const sp = servicePrincipal(state, params[0]);
      const principalId = String(body?.principalId ?? "");
      const appRoleId = String(body?.appRoleId ?? "");
      if (body?.resourceId !== sp.id) throw badRequest("resourceId must be the service principal's id.");
      const user = state.users.get(principalId);
      const group = state.groups.get(principalId);
      if (!user && !group) throw notFound(`Principal '${principalId}'`);
      const role = (sp.appRoles as Json[]).find((candidate) => candidate.id === appRoleId);
      if (appRoleId !== DEFAULT_ACCESS_ROLE_ID && !role?.isEnabled) {
        throw badRequest(`Permission being assigned was not found on application '${sp.appId}'.`);
      }
      const existing = state.assignments.get(params[0]) ?? [];
      if (existing.some((a) => a.principalId === principalId && a.appRoleId === appRoleId)) {
        throw new SimulatedGraphError(
          409,
          "Request_BadRequest",
          "Permission being assigned already exists on the object",
        );
      }
      const assignment = {
        id: randomUUID().replace(/-/g, "").slice(0, 22),
        appRoleId,
        principalId,
        principalType: user ? "User" : "Group",
        principalDisplayName: String((user ?? group)?.displayName ?? ""),
        resourceId: sp.id,
        resourceDisplayName: sp.displayName,
        createdDateTime: now(),
        deletedDateTime: null,
      };
      existing.push(assignment);
      state.assignments.set(params[0], existing);
      return { status: 201, body: assignment };
    },
  ],
  [
    "DELETE",
    "/servicePrincipals/{servicePrincipal-id}/appRoleAssignedTo/{appRoleAssignment-id}",
    "servicePrincipals.appRoleAssignedTo.delete",
    ({ state, params }) => {
      servicePrincipal(state, params[0]);
      const existing = state.assignments.get(params[0]) ?? [];
      const index = existing.findIndex((assignment) => assignment.id === params[1]);
      if (index === -1) throw notFound(`Assignment '${params[1]}'`);
      existing.splice(index, 1);
      return { status: 204 };
    },
  ],
];
