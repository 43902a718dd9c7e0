/**
 * Graph simulator routes for the operations side (trial mode, `scimkit status`, teardown check),
 * plugged in with `startGraphSimulator({ extraRoutes: operations.routes })`:
 *
 *   const operations = createOperationsExtension();
 *   const graph = await startGraphSimulator({ extraRoutes: operations.routes });
 *
 * - POST /users, DELETE /users/{id}, POST /groups, GET/DELETE /groups/{id}: test users and groups;
 *   deletes go to deleted items (30-day soft delete) and take the object's app role assignments along.
 * - POST …/jobs/{id}/provisionOnDemand: the real thing, end to end. Rate limit 5 requests / 10 s
 *   (429 beyond), then Entra's sequence against the SCIM BaseAddress from the job's secrets with its
 *   SecretToken: match by the matching attribute (GET /Users?filter=userName eq "…"), then POST /Users
 *   or PATCH with one `Replace` per mapped path (provision on demand ignores aadOptscim062020, so it
 *   speaks the default dialect: ../shared/docs/entra-scim-wire.md). Attribute values come from the job
 *   schema's user mappings. Each outcome is written to the provisioning logs.
 * - GET /auditLogs/provisioning?$filter=jobId eq '…'&$top=N: those logs, newest first, plus any a test
 *   seeds with `operations.addProvisioningLog(…)`.
 */
import { randomUUID } from "node:crypto";
import { type RouteContext, type RouteResult, SimulatedGraphError } from "./routes";
import type { Json, SimulatedJob, SimulatorState } from "./state";

type Route = [
  method: string,
  template: string,
  operationId: string,
  handler: (context: RouteContext) => RouteResult | Promise<RouteResult>,
];

const ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";

export interface OperationsExtension {
  readonly routes: Route[];
  /** Every provisioning log entry, oldest first (the route answers newest first). */
  readonly provisioningLogs: Json[];
  /** Times (ms since epoch) at which provisionOnDemand requests arrived, per job id. */
  readonly onDemandArrivals: Map<string, number[]>;
  /** What the simulated Entra sent to the SCIM endpoint: method, url, status. */
  readonly scimRequests: { method: string; url: string; status: number }[];
  addProvisioningLog(entry: Json): void;
}

const now = () => new Date().toISOString().replace(/\.\d+Z$/, "Z");
const notFound = (what: string) =>
  new SimulatedGraphError(404, "Request_ResourceNotFound", `${what} does not exist.`);
const badRequest = (message: string) => new SimulatedGraphError(400, "Request_BadRequest", message);

export interface OperationsExtensionOptions {
  /**
   * Provision-on-demand calls per object that answer "Skipped" after its assignment, as Entra does
   * while the assignment replicates. Default 0.
   */
  readonly assignmentReplicationCalls?: number;
}

export function createOperationsExtension(options: OperationsExtensionOptions = {}): OperationsExtension {
  const replicationSkipsLeft = new Map<string, number>();
  const provisioningLogs: Json[] = [];
  const onDemandArrivals = new Map<string, number[]>();
  const scimRequests: OperationsExtension["scimRequests"] = [];

  const routes: Route[] = [
    [
      "POST",
      "/users",
      "users.create",
      ({ state, body }) => {
        for (const required of [
          "accountEnabled",
          "displayName",
          "mailNickname",
          "userPrincipalName",
          "passwordProfile",
        ]) {
          if (body?.[required] === undefined)
            throw badRequest(`Property '${required}' is required to create a user.`);
        }
        const userPrincipalName = String(body?.userPrincipalName);
        if ([...state.users.values()].some((user) => sameText(user.userPrincipalName, userPrincipalName))) {
          throw badRequest(
            "Another object with the same value for property userPrincipalName already exists.",
          );
        }
        const { passwordProfile: _password, ...visible } = body as Json;
        const user = { ...structuredClone(visible), id: randomUUID(), createdDateTime: now() };
        state.users.set(String(user.id), user);
        return { status: 201, body: user };
      },
    ],
    [
      "DELETE",
      "/users/{user-id}",
      "users.delete",
      ({ state, params }) => {
        const user = state.users.get(params[0]);
        if (!user) throw notFound(`Resource '${params[0]}'`);
        softDelete(state, "user", params[0], user);
        return { status: 204 };
      },
    ],
    [
      "POST",
      "/groups",
      "groups.create",
      ({ state, body }) => {
        for (const required of ["displayName", "mailEnabled", "mailNickname", "securityEnabled"]) {
          if (body?.[required] === undefined)
            throw badRequest(`Property '${required}' is required to create a group.`);
        }
        const group = { ...structuredClone(body as Json), id: randomUUID(), createdDateTime: now() };
        state.groups.set(String(group.id), group);
        state.groupMembers.set(String(group.id), []);
        return { status: 201, body: group };
      },
    ],
    [
      "GET",
      "/groups/{group-id}",
      "groups.get",
      ({ state, params }) => {
        const group = state.groups.get(params[0]);
        if (!group) throw notFound(`Resource '${params[0]}'`);
        return { status: 200, body: group };
      },
    ],
    [
      "DELETE",
      "/groups/{group-id}",
      "groups.delete",
      ({ state, params }) => {
        const group = state.groups.get(params[0]);
        if (!group) throw notFound(`Resource '${params[0]}'`);
        softDelete(state, "group", params[0], group);
        return { status: 204 };
      },
    ],
    [
      "GET",
      "/auditLogs/provisioning",
      "auditLogs.provisioning.list",
      ({ query }) => {
        const filter = query.get("$filter");
        const match = filter ? /^jobId eq '((?:[^']|'')*)'$/.exec(filter.trim()) : null;
        if (filter && !match) throw badRequest(`Unsupported $filter in simulator: ${filter}`);
        const jobId = match?.[1].replace(/''/g, "'");
        const top = Number(query.get("$top") ?? "50");
        const entries = provisioningLogs
          .filter((entry) => jobId === undefined || entry.jobId === jobId)
          .sort((a, b) => String(b.activityDateTime).localeCompare(String(a.activityDateTime)))
          .slice(0, top);
        return { status: 200, body: { value: entries } };
      },
    ],
    [
      "POST",
      "/servicePrincipals/{servicePrincipal-id}/synchronization/jobs/{synchronizationJob-id}/provisionOnDemand",
      "synchronization.jobs.provisionOnDemand",
      async (context) => provisionOnDemand(context),
    ],
  ];

  async function provisionOnDemand({ state, params, body }: RouteContext): Promise<RouteResult> {
    const [servicePrincipalId, jobId] = params;
    const sync = state.synchronization.get(servicePrincipalId);
    const job = sync?.jobs.get(jobId);
    if (!sync || !job) throw new SimulatedGraphError(404, "NotFound", `Job '${jobId}' was not found.`);
    const arrivals = onDemandArrivals.get(jobId) ?? [];
    arrivals.push(Date.now());
    onDemandArrivals.set(jobId, arrivals);
    // Entra's limit: 5 requests per 10 seconds (per job), counted over a sliding window.
    job.onDemandRequests = job.onDemandRequests.filter((time) => time > Date.now() - 10_000);
    if (job.onDemandRequests.length >= 5) {
      throw new SimulatedGraphError(
        429,
        "TooManyRequests",
        "Provision on demand: 5 requests per 10 seconds.",
        {
          "Retry-After": "10",
        },
      );
    }
    job.onDemandRequests.push(Date.now());
    const parameter = ((body?.parameters as Json[]) ?? [])[0];
    const rule = ((job.schema.synchronizationRules as Json[]) ?? []).find(
      (candidate) => candidate.id === parameter?.ruleId,
    );
    if (!rule) throw badRequest(`Rule '${String(parameter?.ruleId)}' does not exist in the job's schema.`);
    const subject = ((parameter?.subjects as Json[]) ?? [])[0];
    const objectId = String(subject?.objectId ?? "");
    const objectType = String(subject?.objectTypeName ?? "");
    const source = objectType === "Group" ? state.groups.get(objectId) : state.users.get(objectId);
    if (objectType !== "User" && objectType !== "Group")
      throw badRequest(`objectTypeName must be User or Group.`);
    if (!source) throw notFound(`${objectType} '${objectId}'`);

    const skipsLeft = replicationSkipsLeft.get(objectId) ?? options.assignmentReplicationCalls ?? 0;
    replicationSkipsLeft.set(objectId, Math.max(0, skipsLeft - 1));
    const outcome = !isAssigned(state, servicePrincipalId, objectId, objectType)
      ? {
          result: "Skipped" as const,
          action: "other",
          reason: "The object is not assigned to the application.",
        }
      : skipsLeft > 0
        ? {
            result: "Skipped" as const,
            action: "other",
            reason: "The object is out of scope (assignment not replicated yet).",
          }
        : await exportToScim(sync.secrets, rule, objectType, source);
    provisioningLogs.push(logEntry(job, servicePrincipalId, objectType, source, outcome));
    const details = {
      result: outcome.result,
      statusInfo: {
        status: outcome.result,
        errorInformation:
          outcome.result === "Failure" ? { errorCode: outcome.errorCode, reason: outcome.reason } : null,
      },
      provisioningSteps: [{ name: "EntryExport", status: outcome.result, description: outcome.reason ?? "" }],
      modifiedProperties: Object.entries(outcome.exported ?? {}).map(([displayName, newValue]) => ({
        displayName,
        newValue: JSON.stringify(newValue),
      })),
    };
    return { status: 200, body: { key: JSON.stringify({ objectId }), value: JSON.stringify(details) } };
  }

  interface ExportOutcome {
    result: "Success" | "Failure" | "Skipped";
    action: string;
    reason?: string;
    errorCode?: string;
    targetId?: string;
    exported?: Record<string, unknown>;
  }

  async function exportToScim(
    secrets: Map<string, string>,
    rule: Json,
    objectType: "User" | "Group",
    source: Json,
  ): Promise<ExportOutcome> {
    const baseAddress = secrets.get("BaseAddress");
    if (!baseAddress)
      return {
        result: "Failure",
        action: "other",
        errorCode: "AdminCredentialsMissing",
        reason: "No BaseAddress.",
      };
    const base = new URL(baseAddress);
    base.search = "";
    const root = `${base.origin}${base.pathname.replace(/\/+$/, "")}`;
    const token = secrets.get("SecretToken") ?? "";
    const mapping = ((rule.objectMappings as Json[]) ?? []).find(
      (candidate) => candidate.sourceObjectName === objectType && candidate.enabled !== false,
    );
    if (!mapping)
      return { result: "Skipped", action: "other", reason: `${objectType} provisioning is turned off.` };
    const mapped = evaluateMappings((mapping.attributeMappings as Json[]) ?? [], source);
    const matching = ((mapping.attributeMappings as Json[]) ?? [])
      .filter((attribute) => Number(attribute.matchingPriority) > 0)
      .sort((a, b) => Number(a.matchingPriority) - Number(b.matchingPriority))[0];
    const matchingTarget = String(
      matching?.targetAttributeName ?? (objectType === "User" ? "userName" : "displayName"),
    );
    const matchingValue = mapped.get(matchingTarget);
    const collection = objectType === "User" ? "Users" : "Groups";
    const exported = Object.fromEntries(mapped);

    const call = async (method: string, path: string, payload?: unknown) => {
      const url = `${root}${path}`;
      const response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: "application/scim+json",
          ...(payload === undefined ? {} : { "content-type": "application/scim+json" }),
        },
        body: payload === undefined ? undefined : JSON.stringify(payload),
        signal: AbortSignal.timeout(5000),
      });
      const text = await response.text();
      scimRequests.push({ method, url, status: response.status });
      return { status: response.status, body: text ? (JSON.parse(text) as Json) : undefined };
    };

    try {
      const filter = `${matchingTarget} eq "${String(matchingValue ?? "").replace(/"/g, '\\"')}"`;
      const found = await call("GET", `/${collection}?filter=${encodeURIComponent(filter)}`);
      if (found.status !== 200) return scimFailure("other", found.status, found.body);
      const existing = ((found.body?.Resources as Json[]) ?? [])[0];
      if (!existing) {
        const created = await call("POST", `/${collection}`, toScimResource(objectType, mapped));
        if (created.status !== 201) return scimFailure("create", created.status, created.body);
        return { result: "Success", action: "create", targetId: String(created.body?.id), exported };
      }
      const operations = [...mapped]
        .filter(([path]) => path !== matchingTarget)
        .map(([path, value]) => ({ op: "Replace", path, value }));
      const updated = await call("PATCH", `/${collection}/${existing.id}`, {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: operations,
      });
      if (updated.status !== 200 && updated.status !== 204)
        return scimFailure("update", updated.status, updated.body);
      return { result: "Success", action: "update", targetId: String(existing.id), exported };
    } catch (error) {
      return {
        result: "Failure",
        action: "other",
        errorCode: "SystemForCrossDomainIdentityManagementServiceUnavailable",
        reason: `Could not reach ${root}: ${(error as Error).message}`,
      };
    }
  }

  return {
    routes,
    provisioningLogs,
    onDemandArrivals,
    scimRequests,
    addProvisioningLog: (entry) => provisioningLogs.push(entry),
  };
}

function scimFailure(action: string, status: number, body: Json | undefined) {
  return {
    result: "Failure" as const,
    action,
    errorCode:
      status === 401 || status === 403
        ? "SystemForCrossDomainIdentityManagementUnauthorized"
        : status === 409
          ? "SystemForCrossDomainIdentityManagementConflict"
          : "SystemForCrossDomainIdentityManagementBadResponse",
    reason: `The SCIM endpoint answered ${status}: ${String(body?.detail ?? "")}`,
  };
}

function logEntry(
  job: SimulatedJob,
  servicePrincipalId: string,
  objectType: string,
  source: Json,
  outcome: { result: string; action: string; reason?: string; errorCode?: string; targetId?: string },
): Json {
  return {
    id: randomUUID(),
    activityDateTime: new Date().toISOString(),
    changeId: randomUUID(),
    cycleId: randomUUID(),
    durationInMilliseconds: 1,
    jobId: job.id,
    provisioningAction: outcome.action,
    initiatedBy: { displayName: "Provision on demand", id: "", initiatorType: "application" },
    servicePrincipal: { id: servicePrincipalId, displayName: "" },
    sourceSystem: { displayName: "Microsoft Entra ID", id: "" },
    targetSystem: { displayName: "SCIM", id: "" },
    sourceIdentity: {
      id: String(source.id),
      displayName: String(source.userPrincipalName ?? source.displayName ?? ""),
      identityType: objectType,
    },
    targetIdentity: { id: outcome.targetId ?? "", displayName: "", identityType: objectType },
    provisioningStatusInfo: {
      status: outcome.result.toLowerCase(),
      errorInformation:
        outcome.result === "Failure"
          ? {
              errorCode: outcome.errorCode,
              reason: outcome.reason,
              errorCategory: "failure",
              recommendedAction: "",
            }
          : null,
    },
    provisioningSteps: [],
    modifiedProperties: [],
  };
}

function isAssigned(state: SimulatorState, servicePrincipalId: string, objectId: string, objectType: string) {
  return (state.assignments.get(servicePrincipalId) ?? []).some(
    (assignment) =>
      assignment.principalId === objectId ||
      (objectType === "User" &&
        assignment.principalType === "Group" &&
        (state.groupMembers.get(String(assignment.principalId)) ?? []).includes(objectId)),
  );
}

function softDelete(state: SimulatorState, kind: "user" | "group", id: string, object: Json) {
  (kind === "user" ? state.users : state.groups).delete(id);
  if (kind === "group") state.groupMembers.delete(id);
  for (const assignments of state.assignments.values()) {
    for (let index = assignments.length - 1; index >= 0; index--) {
      if (assignments[index].principalId === id) assignments.splice(index, 1);
    }
  }
  state.deletedItems.set(id, {
    ...object,
    "@odata.type": `#microsoft.graph.${kind}`,
    deletedDateTime: now(),
  });
}

/** Evaluates the mappings Entra would: Attribute, Constant, and the Switch/Join functions of the template. */
function evaluateMappings(mappings: readonly Json[], source: Json): Map<string, unknown> {
  const values = new Map<string, unknown>();
  for (const mapping of mappings) {
    const value =
      evaluateSource(mapping.source as Json, source) ?? (mapping.defaultValue as string | null) ?? undefined;
    if (value === undefined || value === null || value === "") continue;
    values.set(String(mapping.targetAttributeName), value);
  }
  return values;
}

function sourceAttribute(source: Json, name: string): unknown {
  if (name === "IsSoftDeleted") return source.accountEnabled === false ? "True" : "False";
  if (name === "objectId") return source.id;
  return source[name];
}

function evaluateSource(expression: Json | undefined, source: Json): unknown {
  if (!expression) return undefined;
  const parameters = (expression.parameters as { key: string; value: Json }[]) ?? [];
  switch (expression.type) {
    case "Attribute":
      return sourceAttribute(source, String(expression.name));
    case "Constant":
      return expression.name;
    case "Function": {
      if (expression.name === "Switch") {
        const [input, fallback, ...pairs] = parameters.map((parameter) =>
          evaluateSource(parameter.value, source),
        );
        for (let index = 0; index + 1 < pairs.length; index += 2) {
          if (String(pairs[index]) === String(input)) return pairs[index + 1];
        }
        return fallback;
      }
      if (expression.name === "Join") {
        const [separator, ...parts] = parameters.map((parameter) => evaluateSource(parameter.value, source));
        const present = parts.filter((part) => part !== undefined && part !== null && part !== "");
        return present.length > 0 ? present.join(String(separator ?? "")) : undefined;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Target paths → a SCIM resource body, as Entra builds its POST (see the create-user body in the wire doc). */
function toScimResource(objectType: "User" | "Group", mapped: Map<string, unknown>): Json {
  const resource: Json = {
    schemas: objectType === "User" ? [CORE_USER, ENTERPRISE_USER] : [CORE_GROUP],
    meta: { resourceType: objectType },
  };
  for (const [path, rawValue] of mapped) {
    const value = path === "active" ? rawValue === true || rawValue === "True" : rawValue;
    if (path === "members") continue;
    if (path.startsWith(`${ENTERPRISE_USER}:`)) {
      const extension = (resource[ENTERPRISE_USER] as Json) ?? {};
      extension[path.slice(ENTERPRISE_USER.length + 1)] = value;
      resource[ENTERPRISE_USER] = extension;
      continue;
    }
    const multiValued = /^(\w+)\[type eq "(\w+)"\]\.(\w+)$/.exec(path);
    if (multiValued) {
      const [, attribute, type, subAttribute] = multiValued;
      const list = (resource[attribute] as Json[]) ?? [];
      let entry = list.find((item) => item.type === type);
      if (!entry) {
        entry = { type, primary: list.length === 0 };
        list.push(entry);
      }
      entry[subAttribute] = value;
      resource[attribute] = list;
      continue;
    }
    const [head, sub] = path.split(".");
    if (sub) resource[head] = { ...((resource[head] as Json) ?? {}), [sub]: value };
    else resource[head] = value;
  }
  return resource;
}

function sameText(a: unknown, b: string): boolean {
  return String(a ?? "").toLowerCase() === b.toLowerCase();
}
