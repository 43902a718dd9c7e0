/**
 * Provisioning (synchronization): templates, secrets (masked on GET, replaced by PUT), jobs (created
 * Disabled; start/pause/restart), Test Connection calling the SCIM endpoint with a random-GUID
 * userName filter, provision on demand (5 per 10 s), and the job schema: whole-schema PUT, PATCH
 * answering 404, filter operators and parseExpression.
 */
import { randomUUID } from "node:crypto";
import { ExpressionSyntaxError, parseExpression } from "./expression-parser";
import {
  badRequest,
  job,
  notFound,
  now,
  type Route,
  type RouteContext,
  type RouteResult,
  SimulatedGraphError,
  servicePrincipal,
  synchronizationOf,
} from "./route-support";
import type { Json, SimulatedJob, SimulatorState } from "./state";
import { FILTER_OPERATORS, nonGallerySchema } from "./template-schema";

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

export const SYNCHRONIZATION_ROUTES: Route[] = [
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
