import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import pino from "pino";
import { createServiceLogger } from "../../src/http/request-logging";
import { buildServer } from "../../src/http/server";
import { createRecordingProtocol } from "./support/recording-protocol";
import { createStandInStore } from "./support/stand-in-store";
import { testToken } from "./support/tokens";

const lines: string[] = [];
const logger = createServiceLogger("info", { write: (chunk: string) => void lines.push(chunk) });
const token = testToken();
const protocol = createRecordingProtocol();
const app = buildServer({ store: createStandInStore(), tokens: [token, testToken()], protocol, logger });
after(() => app.close());

function records() {
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("structured request logs", () => {
  test("one JSON line per request with request id, method, path, status and latency — no query, no token", async () => {
    lines.length = 0;
    const response = await app.inject({
      method: "GET",
      url: '/scim/v2/Users?filter=userName+eq+"alice@contoso.com"',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(response.statusCode, 200);
    const requestLines = records().filter((record) => record.msg === "request");
    assert.equal(requestLines.length, 1, lines.join(""));
    const [line] = requestLines;
    assert.equal(line!.method, "GET");
    assert.equal(line!.path, "/scim/v2/Users");
    assert.equal(line!.status, 200);
    assert.equal(typeof line!.durationMs, "number");
    assert.match(String(line!.time), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, "ISO 8601 time");
    assert.equal(line!.reqId, response.headers["x-request-id"]);
    assert.equal(line!.credential, "token 1 of 2", "the log says which token was used, never the token");
    const everything = lines.join("");
    assert.ok(!everything.includes(token), "token must not be logged");
    assert.doesNotMatch(everything, /alice@contoso\.com|filter/);
  });

  test("a rejected token is not logged either", async () => {
    lines.length = 0;
    const wrong = testToken();
    const response = await app.inject({
      method: "GET",
      url: "/scim/v2/Users",
      headers: { authorization: `Bearer ${wrong}` },
    });
    assert.equal(response.statusCode, 401);
    assert.equal(records().filter((record) => record.status === 401).length, 1);
    assert.ok(!lines.join("").includes(wrong));
  });

  test("a failure logged with its error carries no Authorization header", async () => {
    lines.length = 0;
    protocol.answer = async () => {
      throw new Error("boom");
    };
    const response = await app.inject({
      method: "GET",
      url: "/scim/v2/Users",
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(response.statusCode, 500);
    const errorLines = records().filter((record) => record.level === 50);
    assert.equal(errorLines.length, 1, "the 500 is logged with its stack for the operator");
    assert.match(JSON.stringify(errorLines[0]), /boom/);
    assert.ok(!lines.join("").includes(token));
  });

  test("redaction censors an Authorization header if anything ever logs one", () => {
    lines.length = 0;
    logger.info(
      {
        req: { headers: { authorization: `Bearer ${token}` } },
        headers: { authorization: `Bearer ${token}` },
      },
      "x",
    );
    assert.ok(!lines.join("").includes(token));
  });

  test("a caller-supplied X-Request-Id is used as the request id when it is harmless", async () => {
    lines.length = 0;
    await app.inject({ method: "GET", url: "/healthz", headers: { "x-request-id": "entra-42" } });
    await app.inject({ method: "GET", url: "/healthz", headers: { "x-request-id": '"}\n{"evil":1' } });
    const ids = records().map((record) => record.reqId);
    assert.equal(ids[0], "entra-42");
    assert.notEqual(ids[1], '"}\n{"evil":1');
  });
  test("the request line is the JSON pino itself writes: same keys, same order, escaped path", async () => {
    lines.length = 0;
    const response = await app.inject({
      method: "GET",
      url: "/scim/v2/Users/%22%7D%0A%7B%22evil%22:1/%C3%A9",
      headers: { authorization: `Bearer ${token}` },
    });
    const requestLines = lines.filter((line) => line.includes('"msg":"request"'));
    assert.equal(requestLines.length, 1);
    const [line] = requestLines;
    assert.ok(
      line!.endsWith("}\n") && line!.indexOf("\n") === line!.length - 1,
      "one line, no injected newline",
    );
    const record = JSON.parse(line!) as Record<string, unknown>;
    assert.equal(record.path, "/scim/v2/Users/%22%7D%0A%7B%22evil%22:1/%C3%A9");
    assert.equal(record.status, response.statusCode);
    // What pino writes for the same fields, through the same logger.
    lines.length = 0;
    logger.info(
      {
        reqId: record.reqId,
        method: record.method,
        path: record.path,
        status: record.status,
        durationMs: record.durationMs,
        credential: record.credential,
      },
      "request",
    );
    const pinoRecord = JSON.parse(lines[0]!) as Record<string, unknown>;
    assert.deepEqual(Object.keys(record), Object.keys(pinoRecord));
    assert.deepEqual({ ...record, time: undefined }, { ...pinoRecord, time: undefined });
  });
  test("a logger not made by createServiceLogger formats the request line itself", async () => {
    const ownLines: string[] = [];
    const own = pino(
      { messageKey: "message", base: { app: "host" } },
      {
        write: (chunk: string) => void ownLines.push(chunk),
      },
    );
    const hosted = buildServer({ store: createStandInStore(), tokens: [token], protocol, logger: own });
    try {
      await hosted.inject({
        method: "GET",
        url: "/scim/v2/Users",
        headers: { authorization: `Bearer ${token}` },
      });
      const line = ownLines
        .map((text) => JSON.parse(text) as Record<string, unknown>)
        .find((record) => record.message === "request");
      assert.ok(line, ownLines.join(""));
      assert.equal(line.app, "host");
      assert.equal(line.path, "/scim/v2/Users");
      assert.equal(line.msg, undefined, "its own message key, not ours");
    } finally {
      await hosted.close();
    }
  });
});
