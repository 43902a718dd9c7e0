import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createGraphClient } from "../../infra/graph/client";
import { GraphRequestError } from "../../infra/graph/graph-error";
import { type GraphSimulator, startGraphSimulator } from "../support/graph-simulator";

const NON_GALLERY = "8adf8e6e-67b2-4cf2-a259-e3dc5476c621";

describe("Graph client against the strict simulator", () => {
  let graph: GraphSimulator;
  before(async () => {
    graph = await startGraphSimulator({ replicationLagCalls: 2 });
  });
  after(() => graph.close());

  const client = (extra: Partial<Parameters<typeof createGraphClient>[0]> = {}) =>
    createGraphClient({
      endpoint: graph.url,
      token: graph.token,
      caCertificate: graph.caCertificate,
      retryPolicy: { baseDelayMs: 5 },
      ...extra,
    });

  it("attaches the bearer token over https to the simulator host", async () => {
    const apps = await client().list("/applications");
    assert.deepEqual(apps, []);
    assert.equal(graph.state.calls.at(-1)?.status, 200);
  });

  it("reads endpoint, token and CA from the SCIMKIT_GRAPH_* environment at call time", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, graph.environment());
    try {
      const apps = await createGraphClient().list("/applications");
      assert.ok(Array.isArray(apps));
    } finally {
      for (const key of Object.keys(graph.environment())) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    }
  });

  it("retries the 404s of replication after creation and surfaces them otherwise", async () => {
    const retries: number[] = [];
    const graphClient = client({ onRetry: (event) => retries.push(event.status) });
    const created = await graphClient.post<{ servicePrincipal: { id: string } }>(
      `/applicationTemplates/${NON_GALLERY}/instantiate`,
      { displayName: "replication" },
    );
    const spId = created.servicePrincipal.id;
    await assert.rejects(graphClient.get(`/servicePrincipals/${spId}`), (error: unknown) => {
      assert.ok(error instanceof GraphRequestError);
      assert.equal(error.status, 404);
      return true;
    });
    const sp = await graphClient.get<{ id: string }>(`/servicePrincipals/${spId}`, {
      mayLagReplication: true,
    });
    assert.equal(sp.id, spId);
    assert.deepEqual(retries, [404]);
  });

  it("waits for Retry-After on 429", async () => {
    graph.state.throttleNext(1, 1);
    const started = Date.now();
    await client().list("/applications");
    assert.ok(Date.now() - started >= 950, "waited at least the Retry-After second");
    const last = graph.state.calls.slice(-2).map((call) => call.status);
    assert.deepEqual(last, [429, 200]);
  });

  it("gives Graph's message and no token in errors", async () => {
    await assert.rejects(
      client().get("/applications/00000000-0000-0000-0000-00000000abcd"),
      (error: unknown) => {
        assert.ok(error instanceof GraphRequestError);
        assert.match(error.message, /404 Request_ResourceNotFound/);
        assert.ok(!error.message.includes(graph.token));
        return true;
      },
    );
  });

  it("is refused without the right token", async () => {
    await assert.rejects(client({ token: "wrong" }).list("/applications"), /401/);
  });
});
