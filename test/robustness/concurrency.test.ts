/**
 * Two replicas, one database: the deployment shape in Azure (Container Apps replicas on one PostgreSQL)
 * and locally (two `scimkit serve` on one SQLite file). Correctness under concurrency must come from the
 * database (unique indexes, row locks / write transactions), never from one process's memory, so every
 * test here spreads its requests over two real service processes.
 *
 * Issue #3, "Correct under concurrency, across processes".
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { randomToken, type ServiceProcess, startServiceProcess } from "../support/server-process";
import { ENGINES, type TestDatabase } from "./support/engines";
import {
  GROUP_SCHEMA,
  mapConcurrently,
  newUser,
  patchOf,
  type ScimResponse,
  scimErrorProblem,
  scimRequest,
} from "./support/scim-client";

const SAME_NAME_CREATES = 100;
const MEMBER_ADDITIONS = 1_000;
const PATCHES_OF_ONE_USER = 200;
const RACED_DELETIONS = 200;
/** Requests in flight at once, over both processes. */
const IN_FLIGHT = 100;

for (const engine of ENGINES) {
  describe(`two service processes on one ${engine.label} database`, { skip: engine.skipReason() }, () => {
    let database: TestDatabase;
    let replicas: ServiceProcess[] = [];

    before(async () => {
      database = await engine.createDatabase("concurrency");
      const token = randomToken();
      // Both replicas start at once: migrations must be safe when several replicas run them together.
      replicas = await Promise.all(
        [0, 1].map(() => startServiceProcess({ databaseUrl: database.url, token })),
      );
    });

    after(async () => {
      await Promise.all(replicas.map((replica) => replica.stop()));
      await database?.destroy();
    });

    const replicaFor = (index: number) => replicas[index % replicas.length];

    /** An empty group and `count` users, created over both replicas, with names unique to this run. */
    async function createGroupAndUsers(prefix: string, count: number) {
      const stamp = Date.now();
      const group = await scimRequest(replicas[0], "POST", "/Groups", {
        schemas: [GROUP_SCHEMA],
        displayName: `${prefix}-${stamp}`,
      });
      assert.equal(group.status, 201, group.text);
      const userIds = await mapConcurrently(Array.from({ length: count }), IN_FLIGHT, async (_, index) => {
        const created = await scimRequest(
          replicaFor(index),
          "POST",
          "/Users",
          newUser(`${prefix}-${stamp}-${index}@contoso.example`),
        );
        assert.equal(created.status, 201, created.text);
        return (created.body as { id: string }).id;
      });
      return { groupId: (group.body as { id: string }).id, userIds };
    }

    test(`${SAME_NAME_CREATES} concurrent creates of one userName (case varied, both replicas): one 201, the rest 409 uniqueness`, async () => {
      const userName = `race.${Date.now()}@contoso.example`;
      const responses = await mapConcurrently(
        Array.from({ length: SAME_NAME_CREATES }),
        IN_FLIGHT,
        (_, index) => scimRequest(replicaFor(index), "POST", "/Users", newUser(varyCase(userName, index))),
      );
      const created = responses.filter((response) => response.status === 201);
      const conflicts = responses.filter((response) => response.status === 409);
      assert.deepEqual(
        statusHistogram(responses),
        { 201: 1, 409: SAME_NAME_CREATES - 1 },
        `expected exactly one 201 and ${SAME_NAME_CREATES - 1} × 409; bodies of others: ${unexpected(responses, [201, 409])}`,
      );
      for (const conflict of conflicts) {
        assert.equal(scimErrorProblem(409, conflict.body), undefined, conflict.text);
        assert.equal((conflict.body as { scimType?: string }).scimType, "uniqueness", conflict.text);
      }
      // Both replicas see exactly one user of that name (case-insensitive match, entra-scim-wire.md).
      for (const replica of replicas) {
        const list = await scimRequest(
          replica,
          "GET",
          `/Users?filter=${encodeURIComponent(`userName eq "${userName.toUpperCase()}"`)}`,
        );
        assert.equal(list.status, 200, list.text);
        const body = list.body as { totalResults: number; Resources: Array<{ id: string }> };
        assert.equal(body.totalResults, 1, list.text);
        assert.equal(body.Resources[0].id, (created[0].body as { id: string }).id);
      }
    });

    test(`${MEMBER_ADDITIONS} concurrent member additions to one group over both replicas leave exactly ${MEMBER_ADDITIONS} members`, async () => {
      const { groupId, userIds } = await createGroupAndUsers("crowd", MEMBER_ADDITIONS);

      // One PATCH per user, as Entra sends them, alternating its two dialects (docs/entra-scim-wire.md).
      const additions = await mapConcurrently(userIds, IN_FLIGHT, (userId, index) =>
        scimRequest(
          replicaFor(index + 1),
          "PATCH",
          `/Groups/${groupId}`,
          patchOf({
            op: index % 2 === 0 ? "Add" : "add",
            path: "members",
            value: [{ $ref: null, value: userId }],
          }),
        ),
      );
      const failed = additions.filter((response) => response.status !== 204 && response.status !== 200);
      assert.equal(failed.length, 0, `member additions that failed: ${unexpected(additions, [200, 204])}`);

      for (const replica of replicas) {
        const read = await scimRequest(replica, "GET", `/Groups/${groupId}`);
        assert.equal(read.status, 200, read.text);
        const members = (read.body as { members?: Array<{ value: string }> }).members ?? [];
        assert.equal(members.length, MEMBER_ADDITIONS, `members seen by replica ${replica.origin}`);
        assert.deepEqual(new Set(members.map((member) => member.value)), new Set(userIds));
      }
    });

    test(`${PATCHES_OF_ONE_USER} concurrent PATCHes of one user from both replicas lose no operation`, async () => {
      const stamp = Date.now();
      const created = await scimRequest(
        replicas[0],
        "POST",
        "/Users",
        newUser(`patched-${stamp}@contoso.example`),
      );
      assert.equal(created.status, 201, created.text);
      const user = created.body as { id: string; meta?: { version?: string } };

      // Each PATCH appends one distinct value: a lost update (read-modify-write without a lock) drops one.
      const patches = await mapConcurrently(
        Array.from({ length: PATCHES_OF_ONE_USER }),
        IN_FLIGHT,
        (_, index) => {
          const operation =
            index % 2 === 0
              ? {
                  op: "Add",
                  path: "emails",
                  value: [{ type: "other", value: `e${index}-${stamp}@contoso.example` }],
                }
              : { op: "add", path: "roles", value: [{ value: `role-${index}` }] };
          return scimRequest(replicaFor(index), "PATCH", `/Users/${user.id}`, patchOf(operation));
        },
      );
      const failed = patches.filter((response) => response.status !== 204 && response.status !== 200);
      assert.equal(failed.length, 0, `PATCHes that failed: ${unexpected(patches, [200, 204])}`);

      for (const replica of replicas) {
        const read = await scimRequest(replica, "GET", `/Users/${user.id}`);
        assert.equal(read.status, 200, read.text);
        const body = read.body as {
          emails?: Array<{ value: string }>;
          roles?: Array<{ value: string }>;
          meta?: { version?: string };
        };
        const expectedEmails = Array.from(
          { length: PATCHES_OF_ONE_USER / 2 },
          (_, k) => `e${2 * k}-${stamp}@contoso.example`,
        );
        const expectedRoles = Array.from({ length: PATCHES_OF_ONE_USER / 2 }, (_, k) => `role-${2 * k + 1}`);
        assert.deepEqual(new Set((body.emails ?? []).map((email) => email.value)), new Set(expectedEmails));
        assert.deepEqual(new Set((body.roles ?? []).map((role) => role.value)), new Set(expectedRoles));
        // meta.version counts writes (W/"<n>"): every PATCH must have been one write on top of the previous.
        const before = versionNumber(user.meta?.version);
        const now = versionNumber(body.meta?.version);
        assert.ok(
          before !== undefined && now !== undefined,
          `meta.version is not W/"<n>": ${user.meta?.version}`,
        );
        assert.equal(now - before, PATCHES_OF_ONE_USER, "writes counted by meta.version");
      }
    });

    test(`${RACED_DELETIONS} users deleted on one replica while the other adds them to a group: no orphan membership`, async () => {
      const { groupId, userIds } = await createGroupAndUsers("raced", RACED_DELETIONS);

      // Each user: its group addition on replica 1 and its deletion on replica 2, the deletion delayed by
      // 0–9 ms so that both orders happen (alone, the cheaper deletion would nearly always win).
      const answers = await mapConcurrently(userIds, IN_FLIGHT, (userId, index) =>
        Promise.all([
          scimRequest(
            replicas[0],
            "PATCH",
            `/Groups/${groupId}`,
            patchOf({ op: "Add", path: "members", value: [{ value: userId }] }),
          ),
          delay(index % 10).then(() => scimRequest(replicas[1], "DELETE", `/Users/${userId}`)),
        ]),
      );
      const additions = answers.map(([addition]) => addition);
      const deletions = answers.map(([, deletion]) => deletion);
      assert.deepEqual(statusHistogram(deletions), { 204: RACED_DELETIONS }, unexpected(deletions, [204]));
      // An addition wins (204) or finds the user already gone (400 invalidValue, or 404); never a 5xx.
      assert.equal(unexpected(additions, [200, 204, 400, 404]), "");
      for (const addition of additions.filter((response) => response.status >= 400))
        assert.equal(scimErrorProblem(addition.status, addition.body), undefined, addition.text);

      const read = await scimRequest(replicas[1], "GET", `/Groups/${groupId}`);
      assert.equal(read.status, 200, read.text);
      assert.deepEqual(
        (read.body as { members?: unknown[] }).members ?? [],
        [],
        "members that no longer exist",
      );
      assert.deepEqual(await database.consistencyProblems(), []);
      console.log(
        `${engine.label}: raced deletions — additions answered ${JSON.stringify(statusHistogram(additions))}, group empty, no orphans`,
      );
    });

    test("the replicas never log the bearer token", () => {
      for (const replica of replicas) assert.equal(replica.output().includes(replica.token), false);
    });
  });
}

function delay(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

function varyCase(text: string, seed: number): string {
  return [...text]
    .map((character, index) => ((seed >> (index % 16)) & 1 ? character.toUpperCase() : character))
    .join("");
}

function statusHistogram(responses: readonly ScimResponse[]): Record<number, number> {
  const histogram: Record<number, number> = {};
  for (const response of responses) histogram[response.status] = (histogram[response.status] ?? 0) + 1;
  return histogram;
}

function unexpected(responses: readonly ScimResponse[], expected: readonly number[]): string {
  const others = responses.filter((response) => !expected.includes(response.status));
  return others
    .slice(0, 3)
    .map((response) => `${response.status} ${response.text.slice(0, 300)}`)
    .join(" | ");
}

function versionNumber(version: string | undefined): number | undefined {
  const match = /^W\/"(\d+)"$/.exec(version ?? "");
  return match ? Number(match[1]) : undefined;
}
