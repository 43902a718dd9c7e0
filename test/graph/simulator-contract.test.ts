import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { createGraphClient } from "../../infra/graph/client";
import { type GraphSimulator, startGraphSimulator } from "../support/graph-simulator";
import { CONTRACT_PATH } from "../support/graph-simulator/contract";

const NON_GALLERY = "8adf8e6e-67b2-4cf2-a259-e3dc5476c621";
const contractPresent = existsSync(CONTRACT_PATH);

describe("Graph simulator behaviours", () => {
  let graph: GraphSimulator;
  let spId: string;
  let jobId: string;
  const client = () =>
    createGraphClient({ endpoint: graph.url, token: graph.token, caCertificate: graph.caCertificate });

  before(async () => {
    graph = await startGraphSimulator({ validateCredentialsResult: { ok: true } });
    const created = await client().post<{ servicePrincipal: { id: string } }>(
      `/applicationTemplates/${NON_GALLERY}/instantiate`,
      { displayName: "Contract" },
    );
    spId = created.servicePrincipal.id;
    jobId = (
      await client().post<{ id: string }>(`/servicePrincipals/${spId}/synchronization/jobs`, {
        templateId: "scim",
      })
    ).id;
  });
  after(() => graph.close());

  it("checks requests against the contract, or says in one line why not", {
    skip: !contractPresent && `contract absent: ${CONTRACT_PATH}`,
  }, () => {
    assert.equal(graph.contractChecked, true);
  });

  it("runs without the contract when ../shared is absent, saying so once", async () => {
    const notes: string[] = [];
    const bare = await startGraphSimulator({
      contractPath: "/nonexistent/contract.json",
      onContractAbsent: (n) => notes.push(n),
    });
    try {
      assert.equal(bare.contractChecked, false);
      assert.equal(notes.length, 1);
      assert.match(notes[0], /contract check skipped/);
      const apps = await createGraphClient({
        endpoint: bare.url,
        token: bare.token,
        caCertificate: bare.caCertificate,
      }).list("/applications");
      assert.deepEqual(apps, []);
    } finally {
      await bare.close();
    }
  });

  it("rejects unknown body properties, unknown paths and undeclared query parameters", {
    skip: !contractPresent && "contract absent",
  }, async () => {
    await assert.rejects(
      client().patch(`/applications/${[...graph.state.applications.keys()][0]}`, { bogus: 1 }),
      /bogus/,
    );
    await assert.rejects(client().get("/me"), /not in the Graph contract/);
    await assert.rejects(
      client().get(`/servicePrincipals/${spId}/synchronization/jobs`, { query: { $count: "true" } }),
      /\$count/,
    );
    assert.ok(graph.state.contractViolations.length >= 3);
    graph.state.contractViolations.length = 0;
  });

  it("answers PATCH on the schema with 404 and flags it as never-to-send", async () => {
    await assert.rejects(
      client().patch(`/servicePrincipals/${spId}/synchronization/jobs/${jobId}/schema`, {}),
      /404/,
    );
    if (contractPresent) assert.match(graph.state.contractViolations.join("\n"), /must never be sent/);
    graph.state.contractViolations.length = 0;
  });

  it("creates a new application on every instantiate (not idempotent)", async () => {
    const before = graph.state.applications.size;
    await client().post(`/applicationTemplates/${NON_GALLERY}/instantiate`, { displayName: "Contract" });
    assert.equal(graph.state.applications.size, before + 1);
  });

  it("creates jobs Disabled and masks secrets on GET", async () => {
    const job = await client().get<{ schedule: { state: string } }>(
      `/servicePrincipals/${spId}/synchronization/jobs/${jobId}`,
    );
    assert.equal(job.schedule.state, "Disabled");
    await client().put(`/servicePrincipals/${spId}/synchronization/secrets`, {
      value: [
        { key: "BaseAddress", value: "https://scim.example/scim/v2" },
        { key: "SecretToken", value: "top-secret" },
      ],
    });
    const secrets = await client().list<{ key: string; value: string }>(
      `/servicePrincipals/${spId}/synchronization/secrets`,
    );
    assert.deepEqual(
      secrets.map((s) => s.value),
      ["*", "*"],
    );
  });

  it("checks the declared off-contract owner operations strictly too", async () => {
    const appId = [...graph.state.applications.keys()][0];
    const user = graph.state.addUser("owner@contoso.test");
    await assert.rejects(
      client().post(`/applications/${appId}/owners/$ref`, { id: user.id }),
      /exactly \{"@odata.id"\}/,
    );
    await client().post(`/applications/${appId}/owners/$ref`, {
      "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${user.id}`,
    });
    assert.deepEqual(graph.state.owners.get(appId), [user.id]);
    assert.match(graph.state.contractViolations.join("\n"), /offContract\.applications\.owners\.add/);
    graph.state.contractViolations.length = 0;
  });

  it("answers the replication lag with the configured status", async () => {
    const lagging = await startGraphSimulator({ replicationLagCalls: 1, replicationLagStatus: 403 });
    try {
      const lagClient = createGraphClient({
        endpoint: lagging.url,
        token: lagging.token,
        caCertificate: lagging.caCertificate,
        retryPolicy: { baseDelayMs: 5 },
      });
      const created = await lagClient.post<{ servicePrincipal: { id: string } }>(
        `/applicationTemplates/${NON_GALLERY}/instantiate`,
        { displayName: "Lag" },
      );
      await assert.rejects(lagClient.get(`/servicePrincipals/${created.servicePrincipal.id}`), /403/);
      await lagClient.get(`/servicePrincipals/${created.servicePrincipal.id}`);
    } finally {
      await lagging.close();
    }
  });

  it("rejects a masked value written back", async () => {
    await assert.rejects(
      client().put(`/servicePrincipals/${spId}/synchronization/secrets`, {
        value: [{ key: "SecretToken", value: "*" }],
      }),
      /masked/,
    );
  });
});
