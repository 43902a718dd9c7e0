/**
 * What the simulated tenant holds. Tests reach in here to change things "behind the kit's back"
 * (the portal), to seed users and groups, and to read the recorded calls.
 */
import { randomUUID } from "node:crypto";

export type Json = Record<string, unknown>;

export interface RecordedCall {
  readonly method: string;
  /** Path after /v1.0, without query string. */
  readonly path: string;
  readonly query: string;
  readonly status: number;
  readonly operationId?: string;
  readonly body?: unknown;
}

export interface SimulatedJob {
  id: string;
  templateId: string;
  schedule: { state: "Active" | "Disabled" | "Paused"; interval: string; expiration: string | null };
  status: Json & { code: string };
  schema: Json;
  restarts: Json[];
  onDemandRequests: number[];
}

export interface SimulatedSynchronization {
  secrets: Map<string, string>;
  jobs: Map<string, SimulatedJob>;
  templates: Json[];
}

export interface ThrottleRule {
  remaining: number;
  retryAfterSeconds: number;
  matches: (method: string, path: string) => boolean;
}

export class SimulatorState {
  readonly applications = new Map<string, Json>();
  readonly servicePrincipals = new Map<string, Json>();
  readonly synchronization = new Map<string, SimulatedSynchronization>();
  readonly assignments = new Map<string, Json[]>();
  readonly users = new Map<string, Json>();
  readonly groups = new Map<string, Json>();
  /** group id → member user ids */
  readonly groupMembers = new Map<string, string[]>();
  readonly deletedItems = new Map<string, Json>();
  /** application / service principal id → owner user ids (off-contract routes, owners-routes.ts). */
  readonly owners = new Map<string, string[]>();
  readonly calls: RecordedCall[] = [];
  /** Requests the contract rejected (also answered 400): a kit bug when non-empty. */
  readonly contractViolations: string[] = [];
  /** object id → calls that will still fail as if replication had not reached the replica. */
  readonly replicationLag = new Map<string, number>();
  readonly throttleRules: ThrottleRule[] = [];
  /** What the next start's first cycle does (the `firstCycle` option; tests may change it). */
  cycleOutcome: "success" | "quarantine" = "success";

  addUser(userPrincipalName: string, extra: Json = {}): Json {
    const user = {
      id: randomUUID(),
      userPrincipalName,
      displayName: userPrincipalName.split("@")[0],
      ...extra,
    };
    this.users.set(String(user.id), user);
    return user;
  }

  addGroup(displayName: string, memberIds: string[] = []): Json {
    const group = { id: randomUUID(), displayName, securityEnabled: true, mailEnabled: false };
    this.groups.set(String(group.id), group);
    this.groupMembers.set(String(group.id), memberIds);
    return group;
  }

  /** The next `count` matching requests get 429 with `Retry-After: retryAfterSeconds`. */
  throttleNext(
    count: number,
    retryAfterSeconds: number,
    matches: ThrottleRule["matches"] = () => true,
  ): void {
    this.throttleRules.push({ remaining: count, retryAfterSeconds, matches });
  }

  /** Calls that change the tenant (anything but GET, and not the read-only POSTs). */
  writeCalls(): RecordedCall[] {
    return this.calls.filter((call) => call.method !== "GET" && !READ_ONLY_POSTS.has(call.operationId ?? ""));
  }

  clearCalls(): void {
    this.calls.length = 0;
  }

  /** The only job of a service principal (what the portal shows), for tests. */
  onlyJob(servicePrincipalId: string): SimulatedJob {
    const jobs = [...(this.synchronization.get(servicePrincipalId)?.jobs.values() ?? [])];
    if (jobs.length !== 1)
      throw new Error(`expected exactly one job on ${servicePrincipalId}, found ${jobs.length}`);
    return jobs[0];
  }
}

/** POSTs that read or test without changing configuration. */
const READ_ONLY_POSTS = new Set([
  "synchronization.jobs.schema.parseExpression",
  "synchronization.jobs.validateCredentials",
  "synchronization.jobs.validateCredentials.collection",
]);
