/**
 * Crash safety (issue #3): Entra retries a failed write only hours later, so a write the service
 * acknowledged (2xx) must survive the replica being killed right after, and the other replicas must
 * keep serving while it happens. Two replicas share one database; each round runs a burst of writers on
 * both — create a user, PATCH it in both Entra dialects, add it to a group, delete some — kills one
 * replica in the middle (SIGKILL, or SIGTERM for the graceful round) while the survivor keeps taking
 * writes, restarts the victim on the same database, and checks every acknowledged write through it, then
 * checks the database itself for damage.
 *
 * A request cut off by the kill is "in doubt": it may or may not have been applied, and the checks
 * accept either outcome for it — and only for it.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { randomToken, type ServiceProcess, startServiceProcess } from "../support/server-process";
import { ENGINES, type TestDatabase } from "./support/engines";
import {
  GROUP_SCHEMA,
  newUser,
  patchOf,
  type ScimEndpoint,
  type ScimResponse,
  scimErrorProblem,
  scimRequest,
} from "./support/scim-client";

const WRITERS = 24;
const GROUPS = 4;
/** The kill comes after this many acknowledged writes in the round, while every writer is busy. */
const ACKNOWLEDGED_BEFORE_KILL = 250;
/** After the kill, the survivor must acknowledge this many more writes (and fail none) before the round ends. */
const SURVIVOR_WRITES_AFTER_KILL = 100;

interface UserLedger {
  readonly userName: string;
  readonly group: number;
  id?: string;
  /** Highest title version acknowledged, and one more when that PATCH was cut off. */
  title: { acknowledged: number; inDoubt?: number };
  member: "no" | "acknowledged" | "inDoubt";
  deleted: "no" | "acknowledged" | "inDoubt";
}

interface RoundResult {
  readonly acknowledged: number;
  /** Cut off mid-request: may or may not have been applied. */
  readonly inDoubt: number;
  /** Connection refused: certainly not applied. */
  readonly refused: number;
  readonly survivorAcknowledged: number;
  /** 5xx answers of the victim (only a draining 503 is acceptable). */
  readonly serverErrors: ScimResponse[];
}

for (const engine of ENGINES) {
  describe(`crash safety on ${engine.label}`, { skip: engine.skipReason() }, () => {
    let database: TestDatabase;
    let replicas: ServiceProcess[] = [];
    const groupIds: string[] = [];
    const ledger: UserLedger[] = [];
    const figures: string[] = [];

    before(async () => {
      database = await engine.createDatabase("crash");
      const token = randomToken();
      replicas = await Promise.all(
        [0, 1].map(() => startServiceProcess({ databaseUrl: database.url, token })),
      );
      for (let index = 0; index < GROUPS; index++) {
        const created = await scimRequest(replicas[0], "POST", "/Groups", {
          schemas: [GROUP_SCHEMA],
          displayName: `crash-group-${index}-${Date.now()}`,
        });
        assert.equal(created.status, 201, created.text);
        groupIds.push((created.body as { id: string }).id);
      }
    });

    after(async () => {
      await Promise.all(replicas.map((replica) => replica.stop()));
      await database?.destroy();
      if (figures.length > 0) console.log(`crash safety on ${engine.label}: ${figures.join("; ")}`);
    });

    for (const [round, victimIndex, signal] of [
      [1, 0, "SIGKILL"],
      [2, 1, "SIGKILL"],
      [3, 0, "SIGTERM"],
    ] as const) {
      test(`round ${round}: ${signal} to one of two replicas mid-burst; the other keeps serving; after restart every acknowledged write is there and the store is consistent`, async () => {
        const victim = replicas[victimIndex];
        const survivor = replicas[1 - victimIndex];
        const result = await burstUntilKilled(victim, survivor, signal, round, groupIds, ledger);
        const exit = await victim.exited;
        if (signal === "SIGTERM") {
          // Graceful drain: in-flight requests finish, the pool closes, exit code 0 (Container Apps sends SIGTERM).
          assert.deepEqual(
            exit,
            { code: 0, signal: null },
            `exit after SIGTERM; output:\n${victim.output().slice(-2000)}`,
          );
        } else {
          assert.equal(exit.signal, "SIGKILL");
        }
        // A 5xx from the victim is acceptable only as the 503 SCIM error of a replica that is shutting down.
        const unexpected = result.serverErrors.filter(
          (response) => response.status !== 503 || scimErrorProblem(503, response.body),
        );
        assert.deepEqual(
          unexpected.map((response) => `${response.status} ${response.text.slice(0, 200)}`),
          [],
        );

        await victim.restart();
        const checked = await verifyLedger(victim, ledger, groupIds);
        assert.deepEqual(await database.consistencyProblems(), [], "database consistency after restart");
        figures.push(
          `round ${round} (${signal} replica ${victimIndex + 1} of 2): ${result.acknowledged} writes acknowledged ` +
            `(${result.survivorAcknowledged} by the survivor after the kill), ${result.inDoubt} cut off (in doubt), ${result.refused} refused, ` +
            `${checked} users verified, 0 lost`,
        );
      });
    }
  });
}

/**
 * Runs WRITERS sequential writers, half on `victim`, half on `survivor`; sends `signal` to the victim after
 * ACKNOWLEDGED_BEFORE_KILL acknowledged writes; ends when the survivor has acknowledged
 * SURVIVOR_WRITES_AFTER_KILL more. Any failure on the survivor fails the test.
 */
async function burstUntilKilled(
  victim: ServiceProcess,
  survivor: ServiceProcess,
  signal: "SIGKILL" | "SIGTERM",
  round: number,
  groupIds: readonly string[],
  ledger: UserLedger[],
): Promise<RoundResult> {
  let acknowledged = 0;
  let inDoubt = 0;
  let refused = 0;
  let killed = false;
  let survivorAcknowledged = 0;
  const serverErrors: ScimResponse[] = [];
  const survivorFailures: string[] = [];
  const stamp = Date.now();

  /** Sends one write; returns when acknowledged (2xx), throws StopWriting when this writer must stop. */
  const write = async (
    replica: ScimEndpoint,
    method: string,
    path: string,
    body: unknown,
    onAcknowledged: (response: ScimResponse) => void,
    onInDoubt: () => void,
  ): Promise<void> => {
    const onSurvivor = replica === survivor;
    if (killed && survivorAcknowledged >= SURVIVOR_WRITES_AFTER_KILL) throw new StopWriting();
    let response: ScimResponse;
    try {
      response = await scimRequest(replica, method, path, body, { timeoutMs: 20_000 });
    } catch (error) {
      // A refused connection (the replica is gone or no longer accepting) was certainly not applied.
      if ((error as { cause?: { code?: string } }).cause?.code === "ECONNREFUSED") refused++;
      else {
        onInDoubt();
        inDoubt++;
      }
      if (onSurvivor) survivorFailures.push(`${method} ${path}: ${(error as Error).message}`);
      throw new StopWriting();
    }
    if (response.status >= 200 && response.status < 300) {
      onAcknowledged(response);
      acknowledged++;
      if (killed && onSurvivor) survivorAcknowledged++;
      if (acknowledged === ACKNOWLEDGED_BEFORE_KILL && !killed) {
        killed = true;
        void victim.kill(signal);
      }
      return;
    }
    if (onSurvivor || !killed) {
      onInDoubt();
      const failure = `${method} ${path} answered ${response.status}: ${response.text.slice(0, 300)}`;
      if (onSurvivor) survivorFailures.push(failure);
      else assert.fail(`${failure} before the kill`);
      throw new StopWriting();
    }
    // The victim after the kill: a 503 from a draining replica means "not applied", like a refused connection.
    if (response.status >= 500) serverErrors.push(response);
    throw new StopWriting();
  };

  const writer = async (worker: number) => {
    const replica = worker % 2 === 0 ? victim : survivor;
    try {
      for (let sequence = 0; ; sequence++) {
        const entry: UserLedger = {
          userName: `crash-r${round}-w${worker}-${sequence}-${stamp}@contoso.example`,
          group: (worker + sequence) % groupIds.length,
          title: { acknowledged: 0 },
          member: "no",
          deleted: "no",
        };
        await write(
          replica,
          "POST",
          "/Users",
          newUser(entry.userName, { title: "t0", name: { givenName: "g0" } }),
          (response) => {
            entry.id = (response.body as { id: string }).id;
            ledger.push(entry);
          },
          () => {},
        );
        const userPath = `/Users/${entry.id}`;
        // Default dialect (capitalised op, one op per path).
        await write(
          replica,
          "PATCH",
          userPath,
          patchOf({ op: "Replace", path: "title", value: "t1" }),
          () => {
            entry.title = { acknowledged: 1 };
          },
          () => {
            entry.title = { acknowledged: 0, inDoubt: 1 };
          },
        );
        await write(
          replica,
          "PATCH",
          `/Groups/${groupIds[entry.group]}`,
          patchOf({ op: "Add", path: "members", value: [{ $ref: null, value: entry.id }] }),
          () => {
            entry.member = "acknowledged";
          },
          () => {
            entry.member = "inDoubt";
          },
        );
        // aadOptscim062020 dialect: path-less replace with dotted keys.
        await write(
          replica,
          "PATCH",
          userPath,
          patchOf({ op: "replace", value: { title: "t2", "name.givenName": "g2" } }),
          () => {
            entry.title = { acknowledged: 2 };
          },
          () => {
            entry.title = { acknowledged: 1, inDoubt: 2 };
          },
        );
        if (sequence % 5 === 4) {
          await write(
            replica,
            "DELETE",
            userPath,
            undefined,
            () => {
              entry.deleted = "acknowledged";
            },
            () => {
              entry.deleted = "inDoubt";
            },
          );
        }
      }
    } catch (error) {
      if (!(error instanceof StopWriting)) throw error;
    }
  };

  await Promise.all(Array.from({ length: WRITERS }, (_, worker) => writer(worker)));
  assert.ok(killed, `the burst ended before ${ACKNOWLEDGED_BEFORE_KILL} acknowledged writes`);
  assert.deepEqual(
    survivorFailures.slice(0, 5),
    [],
    `the surviving replica failed ${survivorFailures.length} writes`,
  );
  assert.ok(
    survivorAcknowledged >= SURVIVOR_WRITES_AFTER_KILL,
    `the survivor acknowledged only ${survivorAcknowledged} writes after the kill`,
  );
  return { acknowledged, inDoubt, refused, survivorAcknowledged, serverErrors };
}

class StopWriting extends Error {}

/** Every acknowledged write, as the restarted service returns it. Returns the number of users checked. */
async function verifyLedger(
  service: ServiceProcess,
  ledger: readonly UserLedger[],
  groupIds: readonly string[],
) {
  const groups = await Promise.all(
    groupIds.map(async (groupId) => {
      const read = await scimRequest(service, "GET", `/Groups/${groupId}`);
      assert.equal(read.status, 200, read.text);
      return new Set(
        ((read.body as { members?: Array<{ value: string }> }).members ?? []).map((member) => member.value),
      );
    }),
  );
  const problems: string[] = [];
  for (const entry of ledger) {
    const read = await scimRequest(service, "GET", `/Users/${entry.id}`);
    const inGroup = groups[entry.group].has(entry.id!);
    if (entry.deleted === "acknowledged") {
      if (read.status !== 404)
        problems.push(`${entry.userName}: deleted (acknowledged) but GET answered ${read.status}`);
      if (inGroup) problems.push(`${entry.userName}: deleted (acknowledged) but still a member of its group`);
      continue;
    }
    if (read.status === 404 && entry.deleted === "inDoubt") {
      if (inGroup) problems.push(`${entry.userName}: gone but still a member of its group`);
      continue;
    }
    if (read.status !== 200) {
      problems.push(
        `${entry.userName}: acknowledged create, GET answered ${read.status} ${read.text.slice(0, 200)}`,
      );
      continue;
    }
    const user = read.body as { userName?: string; title?: string; name?: { givenName?: string } };
    const accepted = [entry.title.acknowledged, entry.title.inDoubt].filter((value) => value !== undefined);
    const title = Number(String(user.title).replace(/^t/, ""));
    if (user.userName !== entry.userName)
      problems.push(`${entry.userName}: userName came back as ${user.userName}`);
    if (!accepted.includes(title))
      problems.push(`${entry.userName}: title ${user.title}, acknowledged t${entry.title.acknowledged}`);
    if (title === 2 && user.name?.givenName !== "g2")
      problems.push(
        `${entry.userName}: title t2 but givenName ${user.name?.givenName} (half of one PATCH applied)`,
      );
    if (entry.member === "acknowledged" && !inGroup)
      problems.push(`${entry.userName}: acknowledged group membership lost`);
  }
  // No group lists a member that does not exist.
  const everyone = new Set(ledger.map((entry) => entry.id));
  for (const members of groups) {
    for (const member of members) {
      if (everyone.has(member)) continue;
      const read = await scimRequest(service, "GET", `/Users/${member}`);
      if (read.status !== 200) problems.push(`group member ${member} does not exist (GET ${read.status})`);
    }
  }
  assert.deepEqual(problems.slice(0, 20), [], `${problems.length} acknowledged writes lost or inconsistent`);
  return ledger.length;
}
