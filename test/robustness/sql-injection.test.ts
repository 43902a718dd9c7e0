/**
 * Filters and values can never reach SQL unparameterised (issue #3). Injection payloads are sent as
 * attribute values and as filter literals through the HTTP API, on both engines: values must come back
 * byte for byte, `eq` must match them literally, LIKE metacharacters (`%`, `_`, `\`) in co/sw/ew must
 * match only themselves, payloads in attribute names, ids and query parameters must be refused cleanly —
 * and afterwards every table is intact (same row count, sentinel unchanged, database checks clean).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { randomToken } from "../support/server-process";
import { SQL_PAYLOADS } from "./generators/filter";
import { ENGINES, type TestDatabase } from "./support/engines";
import { assertWellFormed } from "./support/fuzz-checks";
import { type FuzzTarget, inProcessTarget, percentEncode, type WireRequest } from "./support/fuzz-target";
import { USER_SCHEMA } from "./support/scim-client";
import { recordSqlText, type SqlTextRecorder } from "./support/sql-text-recorder";

const MORE_PAYLOADS = [
  "Robert'); DROP TABLE resources;--",
  "x'; DELETE FROM group_members; --",
  "1' AND (SELECT COUNT(*) FROM resources) > 0 --",
  "' OR name_lower LIKE '%",
  "\\'; TRUNCATE resources; --",
  "$$; DROP TABLE resources; $$",
  "'); PRAGMA writable_schema=1; --",
  "') OR json_extract(document, '$.userName') IS NOT NULL --",
  "' OR document->>'userName' <> '' --",
  "\\\\%",
  "a%b",
  "a_b",
  "a\\b",
  "%%",
  "__",
];
/**
 * Every payload carries this marker, so "the value never reached SQL text" is one check: no statement
 * the store ran contains it.
 */
const MARKER = "zq9mark";
const PAYLOADS = [...new Set([...SQL_PAYLOADS, ...MORE_PAYLOADS])]
  .filter((payload) => !payload.includes("\u0000"))
  .map((payload) => `${payload}${MARKER}`);

for (const engine of ENGINES) {
  describe(`SQL injection on ${engine.label}`, { skip: engine.skipReason() }, () => {
    let database: TestDatabase;
    let target: FuzzTarget;
    const stamp = `inj${Date.now()}`;
    const created = new Map<string, { id: string; payload: string }>();
    let sentinel: unknown;
    let sentinelId = "";
    let recorder: SqlTextRecorder;
    let statementsBeforeTests = 0;

    const request = (method: string, path: string, body?: unknown): WireRequest => ({
      method,
      url: target.basePath + path,
      headers: {
        authorization: `Bearer ${target.token}`,
        ...(body === undefined ? {} : { "content-type": "application/scim+json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const send = async (method: string, path: string, body?: unknown) => {
      const outgoing = request(method, path, body);
      const response = await target.send(outgoing);
      assertWellFormed(outgoing, response);
      return response;
    };
    const search = async (filter: string) => {
      const response = await send("GET", `/Users?count=1000&filter=${percentEncode(filter)}`);
      assert.equal(response.status, 200, `${filter}: ${response.text}`);
      return (response.body as { Resources: Array<{ id: string; userName: string }> }).Resources;
    };

    before(async () => {
      database = await engine.createDatabase("injection");
      recorder = recordSqlText();
      target = await inProcessTarget(database.url, randomToken());
      const response = await send("POST", "/Users", {
        schemas: [USER_SCHEMA],
        userName: `${stamp}-sentinel@contoso.example`,
      });
      assert.equal(response.status, 201, response.text);
      sentinelId = (response.body as { id: string }).id;
      sentinel = (await send("GET", `/Users/${sentinelId}`)).body;
      statementsBeforeTests = recorder.statements.length;
    });

    after(async () => {
      recorder?.restore();
      await target?.close();
      await database?.destroy();
    });

    test(`${PAYLOADS.length} injection payloads as attribute values are stored and returned literally`, async () => {
      for (const [index, payload] of PAYLOADS.entries()) {
        const userName = `${stamp}-${index}-${payload}`;
        const response = await send("POST", "/Users", {
          schemas: [USER_SCHEMA],
          userName,
          externalId: payload,
          displayName: payload,
          title: payload,
          name: { givenName: payload },
        });
        assert.equal(response.status, 201, `${payload}: ${response.text}`);
        const id = (response.body as { id: string }).id;
        created.set(userName, { id, payload });
        const stored = (await send("GET", `/Users/${id}`)).body as Record<string, unknown>;
        assert.equal(stored.userName, userName);
        assert.equal(stored.externalId, payload);
        assert.equal(stored.displayName, payload);
        assert.equal(stored.title, payload);
        assert.equal((stored.name as { givenName?: string }).givenName, payload);
      }
    });

    test("as eq filter literals they match exactly the user that holds them", async () => {
      for (const [userName, { id, payload }] of created) {
        assert.deepEqual(
          (await search(`userName eq ${JSON.stringify(userName)}`)).map((user) => user.id),
          [id],
          `userName eq ${JSON.stringify(userName)}`,
        );
        // externalId holds the bare payload; several payloads differ only in case, externalId is caseExact.
        const byExternalId = await search(
          `externalId eq ${JSON.stringify(payload)} and userName sw ${JSON.stringify(stamp)}`,
        );
        assert.deepEqual(
          byExternalId.map((user) => user.id),
          [id],
          `externalId eq ${JSON.stringify(payload)}`,
        );
      }
    });

    test("LIKE metacharacters in co / sw / ew match only themselves", async () => {
      const names = [...created.keys()];
      const lower = (text: string) => text.toLowerCase();
      for (const needle of [
        "%",
        "_",
        "\\",
        "a%b",
        "a_b",
        "a\\b",
        "%%",
        "__",
        "'",
        "''",
        "*",
        "[a-z]*",
        "\\%",
      ]) {
        const cases = [
          { op: "co", value: needle, holds: (name: string) => lower(name).includes(lower(needle)) },
          {
            op: "sw",
            value: `${stamp}-${needle}`,
            holds: (name: string) => lower(name).startsWith(lower(`${stamp}-${needle}`)),
          },
          {
            op: "ew",
            value: `${needle}${MARKER}`,
            holds: (name: string) => lower(name).endsWith(lower(`${needle}${MARKER}`)),
          },
        ];
        for (const { op, value, holds } of cases) {
          const filter = `userName sw ${JSON.stringify(stamp)} and userName ${op} ${JSON.stringify(value)}`;
          const found = (await search(filter)).map((user) => user.userName).sort();
          const expected = [...names, `${stamp}-sentinel@contoso.example`].filter(holds).sort();
          assert.deepEqual(found, expected, filter);
        }
      }
    });

    test("payloads in attribute names, ids, sort and paging parameters are refused cleanly", async () => {
      for (const payload of PAYLOADS) {
        const attempts = [
          `/Users?filter=${percentEncode(`${payload} eq "x"`)}`,
          `/Users?filter=${percentEncode(`userName eq "x" ${payload}`)}`,
          `/Users?filter=${percentEncode(`emails[${payload}]`)}`,
          `/Users?sortBy=${percentEncode(payload)}`,
          `/Users?attributes=${percentEncode(payload)}`,
          `/Users?excludedAttributes=${percentEncode(payload)}`,
          `/Users?startIndex=${percentEncode(payload)}&count=${percentEncode(payload)}`,
          `/Users/${percentEncode(payload)}`,
          `/Groups/${percentEncode(payload)}`,
        ];
        for (const path of attempts) {
          const response = await send("GET", path);
          assert.ok(
            [200, 400, 404].includes(response.status),
            `${path}: ${response.status} ${response.text.slice(0, 200)}`,
          );
        }
        for (const method of ["DELETE", "PATCH", "PUT"]) {
          const response = await send(
            method,
            `/Users/${percentEncode(payload)}`,
            method === "DELETE" ? undefined : {},
          );
          assert.ok(
            response.status >= 400 && response.status < 500,
            `${method} /Users/${payload}: ${response.status}`,
          );
        }
      }
    });

    test("no value ever appeared in the text of an SQL statement: all of them went as parameters", () => {
      const { statements } = recorder;
      // The stores cache prepared statements, so the count is modest; but the filter shapes above (co, sw,
      // ew, and) cannot all have been prepared before the tests began.
      const duringTests = statements.slice(statementsBeforeTests).filter((sql) => /resources/i.test(sql));
      assert.ok(
        duringTests.length >= 3,
        `only ${statements.length} statements seen: are the driver hooks wired?`,
      );
      const leaked = statements.filter((sql) => sql.toLowerCase().includes(MARKER));
      assert.deepEqual(leaked.slice(0, 3), [], `${leaked.length} statements embed a client-sent value`);
    });

    test("afterwards every table is intact", async () => {
      assert.deepEqual((await send("GET", `/Users/${sentinelId}`)).body, sentinel);
      const all = await search(`userName sw ${JSON.stringify(stamp)}`);
      assert.equal(all.length, created.size + 1);
      const count = await send("GET", "/Users?count=0");
      assert.equal((count.body as { totalResults: number }).totalResults, created.size + 1);
      assert.deepEqual(await database.consistencyProblems(), []);
    });
  });
}
