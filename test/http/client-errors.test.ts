/**
 * Errors raised by Node's HTTP parser, over a real socket (inject() never reaches the parser).
 */
import assert from "node:assert/strict";
import net from "node:net";
import { after, before, describe, test } from "node:test";
import { buildServer } from "../../src/http/server";
import { createRecordingProtocol } from "./support/recording-protocol";
import { createStandInStore } from "./support/stand-in-store";
import { testToken } from "./support/tokens";

const app = buildServer({
  store: createStandInStore(),
  tokens: [testToken()],
  protocol: createRecordingProtocol(),
});
let port: number;
before(async () => {
  await app.listen({ host: "127.0.0.1", port: 0 });
  port = (app.server.address() as net.AddressInfo).port;
});
after(() => app.close());

/** Writes raw bytes and collects everything the server sends until it closes the connection. */
function exchange(raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.write(raw));
    let received = "";
    socket.on("data", (chunk) => {
      received += chunk.toString("utf8");
    });
    socket.on("close", () => resolve(received));
    socket.on("error", reject);
  });
}

function parse(response: string) {
  const [head = "", body = ""] = response.split("\r\n\r\n");
  const [statusLine = "", ...headerLines] = head.split("\r\n");
  const headers = Object.fromEntries(
    headerLines.map((line) => [
      line.slice(0, line.indexOf(":")).toLowerCase(),
      line.slice(line.indexOf(":") + 1).trim(),
    ]),
  );
  return { status: Number(statusLine.split(" ")[1]), headers, body: JSON.parse(body) };
}

describe("HTTP parser errors", () => {
  test("a request line above 16 KB → 431 SCIM error and Connection: close", async () => {
    const filter = encodeURIComponent(`userName eq "${"x".repeat(20_000)}"`);
    const response = parse(
      await exchange(`GET /scim/v2/Users?filter=${filter} HTTP/1.1\r\nHost: localhost\r\n\r\n`),
    );
    assert.equal(response.status, 431);
    assert.equal(response.headers.connection, "close");
    assert.match(response.headers["content-type"]!, /^application\/scim\+json/);
    assert.equal(response.body.status, "431");
    assert.deepEqual(response.body.schemas, ["urn:ietf:params:scim:api:messages:2.0:Error"]);
  });

  test("bytes that are not HTTP → 400 SCIM error and Connection: close", async () => {
    const response = parse(await exchange("\u0001\u0002 this is not HTTP\r\n\r\n"));
    assert.equal(response.status, 400);
    assert.equal(response.headers.connection, "close");
    assert.equal(response.body.status, "400");
    assert.equal(response.body.scimType, "invalidSyntax");
  });

  test("the server keeps serving afterwards", async () => {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(response.status, 200);
  });
});
