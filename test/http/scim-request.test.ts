import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { relativePath } from "../../src/http/scim-request";
import { buildServer } from "../../src/http/server";
import { createRecordingProtocol } from "./support/recording-protocol";
import { createStandInStore } from "./support/stand-in-store";
import { testToken } from "./support/tokens";

const token = testToken();
const protocol = createRecordingProtocol();
const app = buildServer({
  store: createStandInStore(),
  tokens: [token],
  protocol,
  basePath: "/api/v3/scim2",
});
const proxied = buildServer({ store: createStandInStore(), tokens: [token], protocol, trustProxy: true });
after(async () => {
  await app.close();
  await proxied.close();
});

async function handedToProtocol(target: typeof app, url: string, headers: Record<string, string> = {}) {
  const response = await target.inject({
    method: "GET",
    url,
    headers: { authorization: `Bearer ${token}`, ...headers },
  });
  assert.equal(response.statusCode, 200, response.body);
  return protocol.requests.at(-1)!;
}

describe("what the HTTP layer hands to the protocol", () => {
  test("the path is relative to a custom base path (Cleanmail-style /api/v3/scim2)", async () => {
    const request = await handedToProtocol(app, "/api/v3/scim2/Users/abc");
    assert.equal(request.path, "/Users/abc");
    assert.equal(request.method, "GET");
    assert.equal(request.baseUrl, "http://localhost:80/api/v3/scim2");
  });

  test("the aadOptscim062020 flag is dropped from the query, the rest kept with + decoded to spaces", async () => {
    const request = await handedToProtocol(
      app,
      '/api/v3/scim2/Users?aadOptscim062020&filter=userName+eq+"a%40b.c"',
    );
    assert.equal(request.query.has("aadOptscim062020"), false);
    assert.equal(request.query.get("filter"), 'userName eq "a@b.c"');
  });

  test("the If-Match header is passed on", async () => {
    const request = await handedToProtocol(app, "/api/v3/scim2/Users/abc", { "if-match": 'W/"3"' });
    assert.equal(request.ifMatch, 'W/"3"');
  });

  test("behind a proxy (TRUST_PROXY) meta.location uses the forwarded scheme and host", async () => {
    const request = await handedToProtocol(proxied, "/scim/v2/Users", {
      "x-forwarded-proto": "https",
      "x-forwarded-host": "scim.contoso.com",
    });
    assert.equal(request.baseUrl, "https://scim.contoso.com/scim/v2");
  });

  test("relativePath collapses duplicate and trailing slashes, decodes segments, matches the base path case-insensitively", () => {
    assert.equal(relativePath("/scim/v2//Users/", "/scim/v2"), "/Users");
    assert.equal(relativePath("/SCIM/V2/Users/abc", "/scim/v2"), "/Users/abc");
    assert.equal(
      relativePath("/scim/v2/Schemas/urn%3Aietf%3Aparams%3Ascim%3Aschemas%3Acore%3A2.0%3AUser", "/scim/v2"),
      "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User",
    );
    assert.equal(relativePath("/scim/v2", "/scim/v2"), "");
  });

  test("broken percent-encoding → 400 invalidSyntax", async () => {
    const response = await app.inject({
      method: "GET",
      url: "/api/v3/scim2/Users/%E0%A4%A",
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().scimType, "invalidSyntax");
  });

  test("HEAD is handed over as GET (RFC 9110 §9.3.2), and answers without a body", async () => {
    const response = await app.inject({
      method: "HEAD",
      url: "/api/v3/scim2/Users",
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(response.statusCode, 200);
    assert.equal(response.body, "");
    assert.equal(protocol.requests.at(-1)!.method, "GET");
  });

  test("requests without a User-Agent are served", async () => {
    const response = await app.inject({
      method: "GET",
      url: "/api/v3/scim2/Users",
      headers: { authorization: `Bearer ${token}`, "user-agent": undefined },
    });
    assert.equal(response.statusCode, 200);
  });
});
