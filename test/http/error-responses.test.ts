import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { buildServer } from "../../src/http/server";
import { ScimError } from "../../src/scim/errors";
import { StoreUnavailableError } from "../../src/store/contract";
import { createRecordingProtocol } from "./support/recording-protocol";
import { createStandInStore } from "./support/stand-in-store";
import { testToken } from "./support/tokens";

const token = testToken();
const protocol = createRecordingProtocol();
const app = buildServer({
  store: createStandInStore(),
  tokens: [token],
  protocol,
  bodyLimitBytes: 2048,
  requestTimeoutMs: 300,
});
after(() => app.close());
const authorization = `Bearer ${token}`;

type InjectResponse = Awaited<ReturnType<typeof app.inject>>;

function assertScimError(response: InjectResponse, status: number, scimType?: string) {
  assert.equal(response.statusCode, status, response.body);
  assert.equal(response.headers["content-type"], "application/scim+json; charset=utf-8");
  const body = response.json();
  assert.deepEqual(body.schemas, ["urn:ietf:params:scim:api:messages:2.0:Error"]);
  assert.equal(body.status, String(status), "status is a string (RFC 7644 §3.12)");
  assert.equal(body.scimType, scimType);
  assert.equal(typeof body.detail, "string");
  return body as { detail: string };
}

function post(payload: string, contentType: string | undefined = "application/scim+json") {
  return app.inject({
    method: "POST",
    url: "/scim/v2/Users",
    headers: { authorization, ...(contentType ? { "content-type": contentType } : {}) },
    payload,
  });
}

describe("every error is an RFC 7644 §3.12 body", () => {
  test("a ScimError thrown by the protocol is rendered with its status and scimType", async () => {
    protocol.answer = async () => {
      throw new ScimError(409, "uniqueness", 'userName "alice" is already taken');
    };
    const body = assertScimError(await post('{"userName":"alice"}'), 409, "uniqueness");
    assert.equal(body.detail, 'userName "alice" is already taken');
  });

  test("malformed JSON → 400 invalidSyntax", async () => {
    assertScimError(await post('{"userName": "alice",'), 400, "invalidSyntax");
  });

  test("a body above the size limit → 413", async () => {
    const body = assertScimError(await post(JSON.stringify({ userName: "x".repeat(4096) })), 413);
    assert.match(body.detail, /2048 bytes/);
  });

  test("an unsupported Content-Type → 415 saying what to send", async () => {
    const body = assertScimError(await post("<user/>", "application/xml"), 415);
    assert.match(body.detail, /application\/scim\+json/);
  });

  test("application/json and a missing Content-Type are read as JSON too", async () => {
    protocol.answer = async (request) => ({ status: 201, body: { received: request.body } });
    for (const contentType of ["application/json", "application/json; charset=utf-8", undefined]) {
      const response = await post('{"userName":"bob"}', contentType);
      assert.equal(response.statusCode, 201, String(contentType));
      assert.deepEqual(response.json().received, { userName: "bob" });
    }
  });

  test("JSON nested absurdly deep → 400 invalidSyntax, not a stack overflow", async () => {
    const deep = `${"[".repeat(500)}${"]".repeat(500)}`;
    assertScimError(await post(`{"userName":${deep}}`), 400, "invalidSyntax");
  });

  test('a "__proto__" attribute → 400 invalidSyntax', async () => {
    assertScimError(await post('{"userName":"a","__proto__":{"admin":true}}'), 400, "invalidSyntax");
  });

  test("NUL or an unpaired surrogate in a value or key → 400 invalidValue, before the protocol sees it", async () => {
    const before = protocol.requests.length;
    for (const payload of [
      '{"userName":"nul\\u0000inside"}',
      '{"userName":"a","name":{"givenName":"lone\\ud800"}}',
      '{"userName":"a","emails":[{"value":"x\\udfff@contoso.com"}]}',
      '{"userName":"a","bad\\u0000key":"x"}',
    ]) {
      const body = assertScimError(await post(payload), 400, "invalidValue");
      assert.match(body.detail, /NUL|surrogate/, payload);
      // Where, never what: the text may be a secret and the detail ends up in Entra's provisioning logs.
      assert.doesNotMatch(body.detail, /inside|lone|contoso/, payload);
    }
    assert.match(
      assertScimError(await post('{"userName":"a","password":"s3cret\\u0000"}'), 400, "invalidValue").detail,
      /in the value of "password"/,
    );
    assert.equal(protocol.requests.length, before, "refused before reaching the protocol");
    // A surrogate pair (an emoji) is ordinary text.
    protocol.answer = async () => ({ status: 201, body: { id: "1" } });
    assert.equal((await post('{"userName":"\\ud83d\\ude00"}')).statusCode, 201);
  });

  test("an unexpected failure → 500 without internals in the body", async () => {
    protocol.answer = async () => {
      throw new Error("connection string postgres://admin:hunter2@db failed at line 42");
    };
    const response = await app.inject({ method: "GET", url: "/scim/v2/Users", headers: { authorization } });
    const body = assertScimError(response, 500);
    assert.doesNotMatch(response.body, /hunter2|postgres|line 42/);
    assert.match(body.detail, /request id/);
    assert.ok(response.headers["x-request-id"]);
  });

  test("StoreUnavailableError → 503 with Retry-After", async () => {
    protocol.answer = async () => {
      throw new StoreUnavailableError("ECONNREFUSED 10.0.0.4:5432");
    };
    const response = await app.inject({ method: "GET", url: "/scim/v2/Users", headers: { authorization } });
    assertScimError(response, 503);
    assert.ok(Number(response.headers["retry-after"]) > 0);
    assert.doesNotMatch(response.body, /10\.0\.0\.4/);
  });

  test("a request that outlives the timeout → 503 instead of hanging", async () => {
    protocol.answer = () => new Promise(() => {});
    const response = await app.inject({ method: "GET", url: "/scim/v2/Users", headers: { authorization } });
    const body = assertScimError(response, 503);
    assert.match(body.detail, /300 ms/);
  });

  test("a path outside the base path → 404 SCIM error", async () => {
    assertScimError(await app.inject({ method: "GET", url: "/Users" }), 404);
  });
});
