/**
 * Test Connection end to end: the credentials provider asks the simulated Entra to validate, and the
 * simulator calls the REAL scimkit service (src/http on SQLite) the way Entra does — GET /Users with a
 * random-GUID userName filter and the bearer token. A wrong token fails `pulumi up` with the status the
 * service answered; the right one saves the credentials.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { enterpriseApplicationProvider } from "../../infra/entra/providers/enterprise-application";
import { provisioningCredentialsProvider } from "../../infra/entra/providers/provisioning-credentials";
import { provisioningJobProvider } from "../../infra/entra/providers/provisioning-job";
import { type LocalScimService, startLocalScimService } from "../operations/support/scim-service";
import { type GraphSimulator, startGraphSimulator } from "../support/graph-simulator";
import { up, useSimulatorEnvironment } from "../support/graph-simulator/provider-harness";

describe("Test Connection against the real SCIM service", () => {
  let graph: GraphSimulator;
  let service: LocalScimService;
  let restore: () => void;
  let servicePrincipalId: string;
  let jobId: string;

  before(async () => {
    graph = await startGraphSimulator();
    service = await startLocalScimService();
    restore = useSimulatorEnvironment(graph);
    const app = await up(enterpriseApplicationProvider, undefined, {
      templateId: "8adf8e6e-67b2-4cf2-a259-e3dc5476c621",
      displayName: "scimkit",
      appRoles: [],
      owners: [],
      ownershipTag: "scimkit:test/test-connection",
      permanentlyDeleteOnDestroy: true,
      providerVersion: "2",
    });
    servicePrincipalId = app.outs.servicePrincipalId;
    jobId = (await up(provisioningJobProvider, undefined, { servicePrincipalId, providerVersion: "1" })).id;
  });
  after(async () => {
    restore();
    await service.stop();
    await graph.close();
  });

  const inputs = (secretToken: string) => ({
    servicePrincipalId,
    jobId,
    tenantUrl: service.baseUrl,
    secretToken,
    useAadOptscim062020: true,
    notificationEmail: undefined,
    notifyOnFailure: true,
    deleteThresholdEnabled: true,
    deleteThresholdValue: 500,
    syncAll: false,
    skipOutOfScopeDeletions: false,
    providerVersion: "1",
  });

  it("a wrong token fails with the service's 401 and saves nothing", async () => {
    await assert.rejects(
      up(provisioningCredentialsProvider, undefined, inputs("not-the-token")),
      (error: Error) => {
        assert.match(error.message, /Test Connection to http:\/\/127\.0\.0\.1:\d+\/scim\/v2 failed/);
        assert.match(error.message, /Response Status Code: 401/);
        assert.ok(!error.message.includes(service.token));
        return true;
      },
    );
    assert.equal(graph.state.synchronization.get(servicePrincipalId)!.secrets.size, 0);
  });

  it("the right token passes and the credentials are saved", async () => {
    await up(provisioningCredentialsProvider, undefined, inputs(service.token));
    const secrets = graph.state.synchronization.get(servicePrincipalId)!.secrets;
    assert.equal(secrets.get("SecretToken"), service.token);
    assert.equal(secrets.get("BaseAddress"), `${service.baseUrl}?aadOptscim062020`);
    assert.deepEqual(graph.state.contractViolations, []);
  });
});
