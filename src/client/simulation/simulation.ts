/**
 * Replays Entra provisioning cycles against an endpoint, in Entra's order
 * (../shared/docs/entra-scim-wire.md and Microsoft's "How provisioning works"):
 *
 * initial cycle      Test Connection; per user: GET filter userName eq → POST when missing, else PATCH;
 *                    per group: GET filter displayName eq (excludedAttributes=members) → POST empty group
 *                    → PATCH Add members in batches.
 * incremental cycle  Test Connection; attribute updates (10 % of users), disables (2 %), membership changes
 *                    (every group: GET group, remove one member, add one), hard deletes (1 %), then
 *                    re-enables of half the disabled users. Each user change matches by filter first.
 *
 * Everything it creates is named `scimkit-simulate-<run id>-…` and deleted afterwards unless `keep`.
 * Traffic goes only to the given URL, and the number of requests is fixed by the parameters.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { Dialect } from "../dialect";
import {
  addMembersBody,
  createGroupBody,
  createUserBody,
  removeMembersBody,
  setActiveBody,
  type UserFields,
  updateUserAttributesBody,
} from "../entra-bodies";
import { EntraClient } from "../entra-client";
import type { Exchange } from "../scim-connection";
import { LatencyRecorder, type OperationStats } from "./latency-recorder";
import { runWithConcurrency } from "./worker-pool";

export const OPERATION = {
  testConnection: "test connection",
  matchUser: "GET /Users?filter",
  createUser: "POST /Users",
  patchUser: "PATCH /Users/{id}",
  deleteUser: "DELETE /Users/{id}",
  matchGroup: "GET /Groups?filter",
  createGroup: "POST /Groups",
  patchGroup: "PATCH /Groups/{id}",
  getGroup: "GET /Groups/{id}",
} as const;

export interface SimulationOptions {
  readonly url: string;
  readonly token: string;
  readonly users: number;
  readonly groups: number;
  readonly membersPerGroup: number;
  readonly concurrency: number;
  readonly dialect: Dialect;
  readonly timeoutMs: number;
  /** Members per PATCH when filling a new group. */
  readonly memberBatchSize: number;
  /** Leave the simulated objects on the endpoint. */
  readonly keep?: boolean;
  readonly runId?: string;
  readonly onProgress?: (progress: SimulationProgress) => void;
}

export interface SimulationProgress {
  readonly phase: string;
  readonly done: number;
  readonly total: number;
  readonly requests: number;
  readonly errors: number;
}

export interface PhaseStats {
  readonly phase: string;
  readonly requests: number;
  readonly seconds: number;
  readonly perSecond: number;
}

export interface SimulationReport {
  readonly url: string;
  readonly runId: string;
  readonly dialect: Dialect;
  readonly parameters: {
    readonly users: number;
    readonly groups: number;
    readonly membersPerGroup: number;
    readonly concurrency: number;
    readonly memberBatchSize: number;
  };
  readonly totals: {
    readonly requests: number;
    readonly errors: number;
    readonly seconds: number;
    readonly perSecond: number;
    readonly p50Ms: number;
    readonly p95Ms: number;
    readonly p99Ms: number;
  };
  readonly phases: readonly PhaseStats[];
  readonly operations: readonly OperationStats[];
  readonly errorsByStatus: Readonly<Record<string, number>>;
  readonly errorExamples: Readonly<Record<string, string>>;
  readonly cleanup?: { readonly deleted: number; readonly failed: number; readonly seconds: number };
}

export const LIMITS = { users: 1_000_000, groups: 100_000, concurrency: 512, memberBatchSize: 1000 };

export function validateSimulationOptions(options: SimulationOptions): void {
  const whole = (name: string, value: number, min: number, max: number) => {
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`--${name} must be a whole number from ${min} to ${max} (got ${value})`);
    }
  };
  whole("users", options.users, 1, LIMITS.users);
  whole("groups", options.groups, 0, LIMITS.groups);
  whole("members", options.membersPerGroup, 0, options.users);
  whole("concurrency", options.concurrency, 1, LIMITS.concurrency);
  whole("member-batch", options.memberBatchSize, 1, LIMITS.memberBatchSize);
}

const PATCH_OK = [200, 204];

/** Which users the incremental cycle touches: fixed by index so reports are comparable run to run. */
const isUpdated = (index: number) => index % 10 === 1;
const isDisabled = (index: number) => index % 50 === 2;
const isReenabled = (index: number) => index % 100 === 2;
const isDeleted = (index: number) => index % 100 === 3;

export async function runSimulation(options: SimulationOptions): Promise<SimulationReport> {
  validateSimulationOptions(options);
  const runId = options.runId ?? randomBytes(4).toString("hex");
  const client = new EntraClient({
    url: options.url,
    token: options.token,
    dialect: options.dialect,
    timeoutMs: options.timeoutMs,
    maxSockets: options.concurrency,
  });
  const recorder = new LatencyRecorder();
  const userIds: (string | undefined)[] = new Array(options.users);
  const groupIds: (string | undefined)[] = new Array(options.groups);
  const fields = (index: number): UserFields => {
    const userName = `scimkit-simulate-${runId}-user${index}@scimkit.invalid`;
    return {
      userName,
      externalId: randomUUID(),
      workEmail: userName.replace("@", ".mail@"),
      givenName: "Sim",
      familyName: `User ${index}`,
    };
  };
  const groupName = (index: number) => `scimkit-simulate-${runId}-group${index}`;
  const memberIndexes = (group: number) =>
    Array.from(
      { length: options.membersPerGroup },
      (_, k) => (group * options.membersPerGroup + k) % options.users,
    );

  const track = (operation: string, exchange: Exchange, expected: readonly number[]) =>
    recorder.record(operation, exchange, expected);

  /** GET filter userName eq: the id when exactly one match, undefined when none. */
  async function matchUser(index: number): Promise<{ ok: boolean; id?: string }> {
    const exchange = await client.findUserByUserName(fields(index).userName);
    if (!track(OPERATION.matchUser, exchange, [200])) return { ok: false };
    const resources = (exchange.response?.body as { Resources?: { id?: string }[] })?.Resources ?? [];
    return { ok: true, id: resources[0]?.id };
  }

  async function testConnection(): Promise<void> {
    track(OPERATION.testConnection, await client.testConnectionUsers(randomUUID()), [200]);
    track(OPERATION.testConnection, await client.testConnectionGroups(randomUUID()), [200]);
  }

  async function provisionUser(index: number): Promise<void> {
    const match = await matchUser(index);
    if (!match.ok) return;
    if (match.id) {
      userIds[index] = match.id;
      const body = updateUserAttributesBody(options.dialect, {
        workEmail: fields(index).workEmail,
        givenName: "Sim",
        familyName: `User ${index}`,
        employeeNumber: String(index),
      });
      track(OPERATION.patchUser, await client.patchUser(match.id, body), PATCH_OK);
      return;
    }
    const exchange = await client.createUser(createUserBody(fields(index)));
    if (track(OPERATION.createUser, exchange, [201])) userIds[index] = idOf(exchange);
  }

  async function provisionGroup(index: number): Promise<void> {
    const match = await client.findGroupByDisplayName(groupName(index));
    if (!track(OPERATION.matchGroup, match, [200])) return;
    let id = ((match.response?.body as { Resources?: { id?: string }[] })?.Resources ?? [])[0]?.id;
    if (!id) {
      const created = await client.createGroup(createGroupBody(groupName(index), randomUUID()));
      if (!track(OPERATION.createGroup, created, [201])) return;
      id = idOf(created);
      if (!id) return;
    }
    groupIds[index] = id;
    const members = memberIndexes(index)
      .map((member) => userIds[member])
      .filter((member): member is string => member !== undefined);
    for (let start = 0; start < members.length; start += options.memberBatchSize) {
      const batch = members.slice(start, start + options.memberBatchSize);
      track(
        OPERATION.patchGroup,
        await client.patchGroup(id, addMembersBody(options.dialect, batch)),
        PATCH_OK,
      );
    }
  }

  async function changeUser(
    index: number,
    change: "update" | "disable" | "reenable" | "delete",
  ): Promise<void> {
    const match = await matchUser(index);
    if (!match.ok || !match.id) return;
    if (change === "delete") {
      track(OPERATION.deleteUser, await client.deleteUser(match.id), [204]);
      return;
    }
    const body =
      change === "update"
        ? updateUserAttributesBody(options.dialect, {
            workEmail: fields(index).workEmail.replace(".mail@", ".changed@"),
            givenName: "Changed",
            familyName: `User ${index}`,
            employeeNumber: `E${index}`,
          })
        : setActiveBody(options.dialect, change === "reenable");
    track(OPERATION.patchUser, await client.patchUser(match.id, body), PATCH_OK);
  }

  async function changeMembership(group: number): Promise<void> {
    const id = groupIds[group];
    if (!id) return;
    if (!track(OPERATION.getGroup, await client.getGroup(id, { excludeMembers: true }), [200])) return;
    const current = memberIndexes(group);
    const leaving = current.length > 0 ? userIds[current[0]] : undefined;
    if (leaving) {
      const exchange = await client.patchGroup(id, removeMembersBody(options.dialect, [leaving]));
      track(OPERATION.patchGroup, exchange, PATCH_OK);
    }
    let joining = (group * options.membersPerGroup + options.membersPerGroup) % options.users;
    if (isDeleted(joining)) joining = (joining + 1) % options.users; // never add a user being deleted meanwhile
    const joiningId = userIds[joining];
    if (joiningId && !isDeleted(joining)) {
      track(
        OPERATION.patchGroup,
        await client.patchGroup(id, addMembersBody(options.dialect, [joiningId])),
        PATCH_OK,
      );
    }
  }

  const phases: PhaseStats[] = [];
  async function phase<T>(
    name: string,
    items: readonly T[],
    work: (item: T) => Promise<void>,
  ): Promise<void> {
    const startedRequests = recorder.total;
    const started = performance.now();
    let done = 0;
    const report = () =>
      options.onProgress?.({
        phase: name,
        done,
        total: items.length,
        requests: recorder.total,
        errors: recorder.errorCount,
      });
    report();
    await runWithConcurrency(items, options.concurrency, async (item) => {
      await work(item);
      done += 1;
      report();
    });
    const seconds = (performance.now() - started) / 1000;
    const requests = recorder.total - startedRequests;
    phases.push({
      phase: name,
      requests,
      seconds: round(seconds),
      perSecond: requests > 0 && seconds > 0 ? Math.round(requests / seconds) : 0,
    });
  }

  const indexes = (count: number) => Array.from({ length: count }, (_, index) => index);
  const started = performance.now();
  let cleanup: SimulationReport["cleanup"];
  let seconds = 0;
  try {
    await testConnection();
    await phase("initial: users", indexes(options.users), provisionUser);
    await phase("initial: groups", indexes(options.groups), provisionGroup);
    await testConnection();
    const changes: Array<() => Promise<void>> = [];
    const users = indexes(options.users);
    const updates = users.filter(isUpdated).map((index) => () => changeUser(index, "update"));
    const disables = users.filter(isDisabled).map((index) => () => changeUser(index, "disable"));
    const deletes = users.filter(isDeleted).map((index) => () => changeUser(index, "delete"));
    const memberships = indexes(options.groups).map((group) => () => changeMembership(group));
    // Interleave the kinds of change, as one incremental cycle delivers them.
    for (const list of interleave([updates, disables, memberships, deletes])) changes.push(list);
    await phase("incremental: changes", changes, (change) => change());
    await phase("incremental: re-enables", users.filter(isReenabled), (index) =>
      changeUser(index, "reenable"),
    );
  } finally {
    seconds = (performance.now() - started) / 1000;
    if (!options.keep) cleanup = await deleteEverything(client, groupIds, userIds, options.concurrency);
    client.close();
  }
  return {
    url: client.connection.tenantUrl,
    runId,
    dialect: options.dialect,
    parameters: {
      users: options.users,
      groups: options.groups,
      membersPerGroup: options.membersPerGroup,
      concurrency: options.concurrency,
      memberBatchSize: options.memberBatchSize,
    },
    totals: {
      requests: recorder.total,
      errors: recorder.errorCount,
      seconds: round(seconds),
      perSecond: Math.round(recorder.total / seconds),
      ...recorder.overall(),
    },
    phases,
    operations: recorder.stats(),
    errorsByStatus: Object.fromEntries(recorder.errorsByStatus),
    errorExamples: Object.fromEntries(recorder.errorExamples),
    ...(cleanup ? { cleanup } : {}),
  };
}

/** The `id` of a created resource (undefined when the server answered 201 without one). */
function idOf(exchange: Exchange): string | undefined {
  const body = exchange.response?.body as { id?: unknown } | undefined;
  return typeof body?.id === "string" ? body.id : undefined;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** [a1, b1, c1, a2, b2, …]: round-robin over lists of different lengths. */
export function interleave<T>(lists: readonly (readonly T[])[]): T[] {
  const result: T[] = [];
  const longest = Math.max(0, ...lists.map((list) => list.length));
  for (let index = 0; index < longest; index += 1) {
    for (const list of lists) if (index < list.length) result.push(list[index]);
  }
  return result;
}

/** Deletes the simulated groups, then users (whatever still exists). Not counted in the report. */
async function deleteEverything(
  client: EntraClient,
  groupIds: readonly (string | undefined)[],
  userIds: readonly (string | undefined)[],
  concurrency: number,
): Promise<{ deleted: number; failed: number; seconds: number }> {
  const started = performance.now();
  let deleted = 0;
  let failed = 0;
  const count = (exchange: Exchange) => {
    const status = exchange.response?.status;
    if (status === 204 || status === 200) deleted += 1;
    else if (status !== 404) failed += 1;
  };
  const groups = groupIds.filter((id): id is string => id !== undefined);
  const users = userIds.filter((id): id is string => id !== undefined);
  await runWithConcurrency(groups, concurrency, async (id) => count(await client.deleteGroup(id)));
  await runWithConcurrency(users, concurrency, async (id) => count(await client.deleteUser(id)));
  return { deleted, failed, seconds: round((performance.now() - started) / 1000) };
}
