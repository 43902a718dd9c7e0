/**
 * The simulated Graph operations, keyed by the contract's operationIds. Behaviours reproduced from
 * ../shared/docs/graph-provisioning.md: non-idempotent instantiate, jobs created Disabled, masked
 * secrets on GET, whole-schema PUT (PATCH answers 404), Test Connection calling the SCIM endpoint with
 * a random-GUID userName filter, quarantine after the first cycle when asked, provision-on-demand
 * rate limit.
 */
import { randomUUID } from "node:crypto";
import { ExpressionSyntaxError, parseExpression } from "./expression-parser";
import type { Json, SimulatedJob, SimulatorState } from "./state";
import { FILTER_OPERATORS, nonGallerySchema } from "./template-schema";

export class SimulatedGraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface RouteOptions {
  readonly tenantId: string;
  readonly replicationLagCalls: number;
  readonly maskSecrets: boolean;
  readonly validateCredentialsResult?: { ok: true } | { ok: false; message: string };
  /** Gallery application template ids the tenant knows, → their synchronization template id. */
  readonly galleryTemplates: Readonly<Record<string, string>>;
}

export interface RouteContext {
  readonly state: SimulatorState;
  readonly options: RouteOptions;
  readonly params: string[];
  readonly query: URLSearchParams;
  readonly body: Json | undefined;
}

export interface RouteResult {
  status: number;
  body?: unknown;
}

type Handler = (context: RouteContext) => RouteResult | Promise<RouteResult>;

export const NON_GALLERY_TEMPLATE_IDS = new Set([
  "8adf8e6e-67b2-4cf2-a259-e3dc5476c621",
  "4602d0b4-76bb-404b-bca9-2652e1a39c6d",
  "5a532e38-1581-4918-9658-008dc27c1d68",
]);
export const USER_ROLE_ID = "18d14569-c3bd-439b-9a66-3a2aee01d14f";
const MSIAM_ACCESS_ROLE_ID = "b9632174-c057-4f7e-951b-be3adc52bfe6";
const DEFAULT_ACCESS_ROLE_ID = "00000000-0000-0000-0000-000000000000";

const notFound = (what: string) =>
  new SimulatedGraphError(404, "Request_ResourceNotFound", `${what} does not exist.`);
const badRequest = (message: string, code = "Request_BadRequest") =>
  new SimulatedGraphError(400, code, message);
const now = () => new Date().toISOString().replace(/\.\d+Z$/, "Z");

function servicePrincipal(state: SimulatorState, id: string): Json {
  const found = state.servicePrincipals.get(id);
  if (!found) throw notFound(`Resource '${id}'`);
  return found;
}

function synchronizationOf(state: SimulatorState, spId: string) {
  servicePrincipal(state, spId);
  const sync = state.synchronization.get(spId);
  if (!sync) throw notFound(`Synchronization of '${spId}'`);
  return sync;
}

function job(state: SimulatorState, spId: string, jobId: string): SimulatedJob {
  const found = synchronizationOf(state, spId).jobs.get(jobId);
  if (!found) throw new SimulatedGraphError(404, "NotFound", `Job '${jobId}' was not found.`);
  return found;
}

/** `$filter=name eq 'value'` — the only filter shape the kit sends. */
function filterBy(items: Iterable<Json>, filter: string | null): Json[] {
  const all = [...items];
  if (!filter) return all;
  const match = /^(\w+) eq '((?:[^']|'')*)'$/.exec(filter.trim());
  if (!match) throw badRequest(`Unsupported $filter in simulator: ${filter}`);
  const [, property, raw] = match;
  const value = raw.replace(/''/g, "'");
  return all.filter((item) => String(item[property] ?? "").toLowerCase() === value.toLowerCase());
}

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

function isAssigned(state: SimulatorState, spId: string, userId: string): boolean {
  return (state.assignments.get(spId) ?? []).some(
    (assignment) =>
      assignment.principalId === userId ||
      (assignment.principalType === "Group" &&
        (state.groupMembers.get(String(assignment.principalId)) ?? []).includes(userId)),
  );
}

async function testConnection(context: RouteContext, spId: string): Promise<RouteResult> {
  const body = context.body ?? {};
  const sync = synchronizationOf(context.state, spId);
  const given = new Map(
    ((body.credentials as Array<{ key: string; value: string }>) ?? []).map((pair) => [pair.key, pair.value]),
  );
  const credentials = body.useSavedCredentials === true ? sync.secrets : given;
  const configured = context.options.validateCredentialsResult;
  if (configured) {
    if (configured.ok) return { status: 204 };
    throw badRequest(
      configured.message,
      "SystemForCrossDomainIdentityManagementCredentialValidationUnavailable",
    );
  }
  const baseAddress = credentials.get("BaseAddress");
  if (!baseAddress) throw badRequest("BaseAddress is required to validate credentials.");
  // Entra drops its own feature flags from the tenant URL and GETs Users with a random-GUID filter.
  const base = new URL(baseAddress);
  base.searchParams.delete("aadOptscim062020");
  const url = `${base.origin}${base.pathname.replace(/\/+$/, "")}/Users?filter=${encodeURIComponent(
    `userName eq "${randomUUID()}"`,
  )}`;
  let status: number;
  try {
    const response = await fetch(url, {
      headers: {
        authorization: `Bearer ${credentials.get("SecretToken") ?? ""}`,
        accept: "application/scim+json",
      },
      signal: AbortSignal.timeout(5000),
    });
    status = response.status;
    await response.text();
  } catch (error) {
    throw badRequest(
      `You appear to have entered invalid credentials. Error code: SystemForCrossDomainIdentityManagementCredentialValidationUnavailable Details: We received this unexpected response from your application: could not connect to ${base.origin} (${(error as Error).message})`,
      "SystemForCrossDomainIdentityManagementCredentialValidationUnavailable",
    );
  }
  if (status !== 200) {
    throw badRequest(
      `You appear to have entered invalid credentials. Please confirm you are using the correct information for an administrative account. Error code: SystemForCrossDomainIdentityManagementCredentialValidationUnavailable Details: We received this unexpected response from your application: Resource: ${url} Operation Method: GET Response Status Code: ${status}`,
      "SystemForCrossDomainIdentityManagementCredentialValidationUnavailable",
    );
  }
  return { status: 204 };
}

function startJob(context: RouteContext, target: SimulatedJob) {
  target.schedule.state = "Active";
  if (context.state.cycleOutcome === "quarantine") {
    target.status = {
      ...target.status,
      code: "Quarantine",
      quarantine: {
        reason: "EncounteredQuarantineException",
        currentBegan: now(),
        seriesBegan: now(),
        nextAttempt: now(),
        seriesCount: 1,
        error: {
          code: "SystemForCrossDomainIdentityManagementServiceIncompatible",
          message: "The SCIM endpoint is not compatible with the Microsoft Entra SCIM client.",
          tenantActionable: true,
        },
      },
      troubleshootingUrl: "https://aka.ms/scimtroubleshooting",
    };
    return;
  }
  const execution = {
    activityIdentifier: randomUUID(),
    countEntitled: 0,
    countExported: 0,
    countImported: 0,
    state: "Succeeded",
    timeBegan: now(),
    timeEnded: now(),
    error: null,
  };
  target.status = {
    ...target.status,
    code: "Active",
    quarantine: null,
    lastExecution: execution,
    lastSuccessfulExecution: execution,
    steadyStateFirstAchievedTime: now(),
    steadyStateLastAchievedTime: now(),
  };
}

export const ROUTES: Array<[method: string, template: string, operationId: string, handler: Handler]> = [
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
  [
    "GET",
    "/servicePrincipals/{servicePrincipal-id}/synchronization/templates",
    "synchronization.templates.list",
    ({ state, params }) => ({ status: 200, body: { value: synchronizationOf(state, params[0]).templates } }),
  ],
  [
    "PUT",
    "/servicePrincipals/{servicePrincipal-id}/synchronization/secrets",
    "synchronization.secrets.put",
    ({ state, params, body }) => {
      const sync = synchronizationOf(state, params[0]);
      const pairs = (body?.value as Array<{ key: string; value: unknown }>) ?? [];
      for (const pair of pairs) {
        if (typeof pair.value !== "string") throw badRequest(`Secret ${pair.key} must be a string value.`);
        if (pair.value === "*")
          throw badRequest(`Secret ${pair.key} is the masked value "*": it was read back and written.`);
      }
      const notification = pairs.find((pair) => pair.key === "SyncNotificationSettings");
      if (notification) {
        try {
          JSON.parse(String(notification.value));
        } catch {
          throw badRequest("SyncNotificationSettings must be a JSON document serialised into a string.");
        }
      }
      // Merge vs replace is undocumented; the simulator replaces, so a partial PUT loses keys.
      sync.secrets = new Map(pairs.map((pair) => [pair.key, String(pair.value)]));
      for (const entry of sync.jobs.values()) {
        if (entry.status.code === "NotConfigured" && sync.secrets.has("BaseAddress"))
          entry.status.code = "NotRun";
      }
      return { status: 204 };
    },
  ],
  [
    "GET",
    "/servicePrincipals/{servicePrincipal-id}/synchronization/secrets",
    "synchronization.secrets.list",
    ({ state, options, params }) => ({
      status: 200,
      body: {
        value: [...synchronizationOf(state, params[0]).secrets].map(([key, value]) => ({
          key,
          value: options.maskSecrets ? "*" : value,
        })),
      },
    }),
  ],
  [
    "GET",
    "/servicePrincipals/{servicePrincipal-id}/synchronization/jobs",
    "synchronization.jobs.list",
    ({ state, params }) => ({
      status: 200,
      body: { value: [...synchronizationOf(state, params[0]).jobs.values()].map(jobView) },
    }),
  ],
  [
    "POST",
    "/servicePrincipals/{servicePrincipal-id}/synchronization/jobs",
    "synchronization.jobs.create",
    ({ state, options, params, body }) => {
      const sync = synchronizationOf(state, params[0]);
      const templateId = String(body?.templateId ?? "");
      if (!sync.templates.some((template) => template.id === templateId)) {
        throw badRequest(`Template '${templateId}' is not available for this application.`);
      }
      const sp = servicePrincipal(state, params[0]);
      const id = `${templateId}.${options.tenantId.replace(/-/g, "")}.${String(sp.appId).replace(/-/g, "")}`;
      if (sync.jobs.has(id)) throw new SimulatedGraphError(409, "Conflict", `Job '${id}' already exists.`);
      const created: SimulatedJob = {
        id,
        templateId,
        schedule: { state: "Disabled", interval: "PT40M", expiration: null },
        status: { code: sync.secrets.has("BaseAddress") ? "NotRun" : "NotConfigured", quarantine: null },
        schema: nonGallerySchema(id),
        restarts: [],
        onDemandRequests: [],
      };
      sync.jobs.set(id, created);
      return { status: 201, body: jobView(created) };
    },
  ],
  [
    "GET",
    "/servicePrincipals/{servicePrincipal-id}/synchronization/jobs/{synchronizationJob-id}",
    "synchronization.jobs.get",
    ({ state, params }) => ({ status: 200, body: jobView(job(state, params[0], params[1])) }),
  ],
  [
    "DELETE",
    "/servicePrincipals/{servicePrincipal-id}/synchronization/jobs/{synchronizationJob-id}",
    "synchronization.jobs.delete",
    ({ state, params }) => {
      job(state, params[0], params[1]);
      synchronizationOf(state, params[0]).jobs.delete(params[1]);
      return { status: 204 };
    },
  ],
  [
    "POST",
    "/servicePrincipals/{servicePrincipal-id}/synchronization/jobs/{synchronizationJob-id}/start",
    "synchronization.jobs.start",
    (context) => {
      const target = job(context.state, context.params[0], context.params[1]);
      if (!synchronizationOf(context.state, context.params[0]).secrets.has("BaseAddress")) {
        throw badRequest("The job cannot be started: admin credentials are not configured.");
      }
      startJob(context, target);
      return { status: 204 };
    },
  ],
  [
    "POST",
    "/servicePrincipals/{servicePrincipal-id}/synchronization/jobs/{synchronizationJob-id}/pause",
    "synchronization.jobs.pause",
    ({ state, params }) => {
      const target = job(state, params[0], params[1]);
      target.schedule.state = "Paused";
      target.status.code = "Paused";
      return { status: 204 };
    },
  ],
  [
    "POST",
    "/servicePrincipals/{servicePrincipal-id}/synchronization/jobs/{synchronizationJob-id}/restart",
    "synchronization.jobs.restart",
    ({ state, params, body }) => {
      const target = job(state, params[0], params[1]);
      target.restarts.push(structuredClone(body ?? {}));
      target.status.quarantine = null;
      if (target.schedule.state === "Active") target.status.code = "Active";
      return { status: 204 };
    },
  ],
  [
    "POST",
    "/servicePrincipals/{servicePrincipal-id}/synchronization/jobs/{synchronizationJob-id}/validateCredentials",
    "synchronization.jobs.validateCredentials",
    (context) => {
      job(context.state, context.params[0], context.params[1]);
      return testConnection(context, context.params[0]);
    },
  ],
  [
    "POST",
    "/servicePrincipals/{servicePrincipal-id}/synchronization/jobs/{synchronizationJob-id}/provisionOnDemand",
    "synchronization.jobs.provisionOnDemand",
    ({ state, params, body }) => {
      const target = job(state, params[0], params[1]);
      const window = Date.now() - 10_000;
      target.onDemandRequests = target.onDemandRequests.filter((time) => time > window);
      if (target.onDemandRequests.length >= 5) {
        throw new SimulatedGraphError(
          429,
          "TooManyRequests",
          "Provision on demand: 5 requests per 10 seconds.",
          {
            "Retry-After": "10",
          },
        );
      }
      target.onDemandRequests.push(Date.now());
      const parameter = ((body?.parameters as Json[]) ?? [])[0];
      const rules = (target.schema.synchronizationRules as Json[]) ?? [];
      const rule = rules.find((candidate) => candidate.id === parameter?.ruleId);
      if (!rule) throw badRequest(`Rule '${String(parameter?.ruleId)}' does not exist in the job's schema.`);
      const subject = ((parameter?.subjects as Json[]) ?? [])[0];
      const userId = String(subject?.objectId ?? "");
      if (!state.users.has(userId)) throw notFound(`User '${userId}'`);
      const result = isAssigned(state, params[0], userId) ? "Success" : "Skipped";
      const details = {
        result,
        statusInfo: { status: result, errorInformation: null },
        provisioningSteps: [{ name: "EntryExportAdd", status: result }],
      };
      return {
        status: 200,
        body: { key: JSON.stringify({ objectId: userId }), value: JSON.stringify(details) },
      };
    },
  ],
  [
    "GET",
    "/servicePrincipals/{servicePrincipal-id}/synchronization/jobs/{synchronizationJob-id}/schema",
    "synchronization.jobs.schema.get",
    ({ state, params }) => ({ status: 200, body: job(state, params[0], params[1]).schema }),
  ],
  [
    "PUT",
    "/servicePrincipals/{servicePrincipal-id}/synchronization/jobs/{synchronizationJob-id}/schema",
    "synchronization.jobs.schema.put",
    ({ state, params, body }) => {
      const target = job(state, params[0], params[1]);
      const next = structuredClone(body ?? {});
      const previousRules = new Set(
        ((target.schema.synchronizationRules as Json[]) ?? []).map((rule) => rule.id),
      );
      for (const rule of (next.synchronizationRules as Json[]) ?? []) {
        if (!previousRules.has(rule.id))
          throw badRequest(`Rule id '${String(rule.id)}' is unknown: keep rule ids from GET.`);
      }
      if (!Array.isArray(next.directories) || next.directories.length === 0) {
        throw badRequest("The schema must keep its directories (PUT replaces the whole schema).");
      }
      target.schema = { ...next, id: target.id };
      return { status: 204 };
    },
  ],
  [
    "PATCH",
    "/servicePrincipals/{servicePrincipal-id}/synchronization/jobs/{synchronizationJob-id}/schema",
    "synchronization.jobs.schema.patch",
    () => {
      // What the real service answers (msgraph-metadata#676): PATCH on the schema does not exist.
      throw new SimulatedGraphError(
        404,
        "UnknownError",
        "No HTTP resource was found that matches the request URI.",
      );
    },
  ],
  [
    "GET",
    "/servicePrincipals/{servicePrincipal-id}/synchronization/jobs/{synchronizationJob-id}/schema/filterOperators()",
    "synchronization.jobs.schema.filterOperators",
    ({ state, params }) => {
      job(state, params[0], params[1]);
      return {
        status: 200,
        body: {
          value: FILTER_OPERATORS.map((id) => ({
            id,
            arity: id.startsWith("IS_") ? "Unary" : "Binary",
            multivaluedComparisonType: "All",
            supportedAttributeTypes: ["String", "Boolean", "Integer"],
          })),
        },
      };
    },
  ],
  [
    "POST",
    "/servicePrincipals/{servicePrincipal-id}/synchronization/jobs/{synchronizationJob-id}/schema/parseExpression",
    "synchronization.jobs.schema.parseExpression",
    ({ state, params, body }) => {
      job(state, params[0], params[1]);
      const expression = String(body?.expression ?? "");
      try {
        const parsed = parseExpression(expression);
        return {
          status: 200,
          body: {
            parsingSucceeded: true,
            parsedExpression: parsed,
            evaluationSucceeded: false,
            evaluationResult: [],
            error: null,
          },
        };
      } catch (error) {
        if (!(error instanceof ExpressionSyntaxError)) throw error;
        return {
          status: 200,
          body: {
            parsingSucceeded: false,
            parsedExpression: null,
            evaluationSucceeded: false,
            evaluationResult: [],
            error: { code: "ExpressionParsingFailed", message: `Syntax error: ${error.message}` },
          },
        };
      }
    },
  ],
  [
    "GET",
    "/users",
    "users.list",
    ({ state, query }) => ({
      status: 200,
      body: { value: filterBy(state.users.values(), query.get("$filter")) },
    }),
  ],
  [
    "GET",
    "/users/{user-id}",
    "users.get",
    ({ state, params }) => {
      const user =
        state.users.get(params[0]) ??
        [...state.users.values()].find(
          (candidate) => candidate.userPrincipalName === decodeURIComponent(params[0]),
        );
      if (!user) throw notFound(`Resource '${params[0]}'`);
      return { status: 200, body: user };
    },
  ],
  [
    "GET",
    "/groups",
    "groups.list",
    ({ state, query }) => ({
      status: 200,
      body: { value: filterBy(state.groups.values(), query.get("$filter")) },
    }),
  ],
  [
    "GET",
    "/directory/deletedItems/{directoryObject-id}",
    "directory.deletedItems.get",
    ({ state, params }) => {
      const item = state.deletedItems.get(params[0]);
      if (!item) throw notFound(`Resource '${params[0]}'`);
      return { status: 200, body: item };
    },
  ],
  [
    "DELETE",
    "/directory/deletedItems/{directoryObject-id}",
    "directory.deletedItems.delete",
    ({ state, params }) => {
      if (!state.deletedItems.delete(params[0])) throw notFound(`Resource '${params[0]}'`);
      return { status: 204 };
    },
  ],
];

function jobView(entry: SimulatedJob) {
  return {
    id: entry.id,
    templateId: entry.templateId,
    schedule: entry.schedule,
    status: entry.status,
    synchronizationJobSettings: [],
  };
}
