/**
 * The Pulumi engine loads a dynamic provider from its serialized text, not from our modules. A provider
 * that cannot be serialized does not throw under mocks: it becomes an unhandled rejection and its
 * outputs never resolve (../shared/docs/azure-and-pulumi-notes.md, "Pulumi testing"). So each provider
 * is serialized here, the text is evaluated the way the dynamic-provider host does (a fresh module with
 * node_modules `require`), and the result is driven against the Graph simulator.
 */
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { appRoleAssignmentsProvider } from "../../infra/entra/providers/app-role-assignments";
import { enterpriseApplicationProvider } from "../../infra/entra/providers/enterprise-application";
import { provisioningCredentialsProvider } from "../../infra/entra/providers/provisioning-credentials";
import { provisioningJobProvider } from "../../infra/entra/providers/provisioning-job";
import { provisioningSchemaProvider } from "../../infra/entra/providers/provisioning-schema";
import { provisioningStateProvider } from "../../infra/entra/providers/provisioning-state";
import { type GraphSimulator, startGraphSimulator } from "../support/graph-simulator";
import { useSimulatorEnvironment } from "../support/graph-simulator/provider-harness";

const CONFIG_SECRET = "stack-config-secret-7c1d2e9f";
const unhandled: unknown[] = [];
const recordUnhandled = (reason: unknown) => unhandled.push(reason);

const PROVIDERS: Record<string, pulumi.dynamic.ResourceProvider> = {
  EnterpriseApplication: enterpriseApplicationProvider,
  AppRoleAssignments: appRoleAssignmentsProvider,
  ProvisioningJob: provisioningJobProvider,
  ProvisioningCredentials: provisioningCredentialsProvider,
  ProvisioningSchema: provisioningSchemaProvider,
  ProvisioningState: provisioningStateProvider,
};

async function loadSerialized(
  provider: pulumi.dynamic.ResourceProvider,
): Promise<pulumi.dynamic.ResourceProvider> {
  const serialized = await pulumi.runtime.serializeFunction(() => provider);
  const module = { exports: {} as Record<string, () => pulumi.dynamic.ResourceProvider> };
  const requireFromProject = createRequire(join(__dirname, "../../package.json"));
  new Function("exports", "require", "module", serialized.text)(module.exports, requireFromProject, module);
  return module.exports[serialized.exportName]();
}

describe("Entra dynamic providers serialize the way the Pulumi engine loads them", () => {
  let graph: GraphSimulator;
  let restore: () => void;
  before(async () => {
    process.on("unhandledRejection", recordUnhandled);
    graph = await startGraphSimulator();
    restore = useSimulatorEnvironment(graph);
  });
  after(async () => {
    restore();
    await graph.close();
    process.off("unhandledRejection", recordUnhandled);
  });

  for (const [name, provider] of Object.entries(PROVIDERS)) {
    it(`${name} serializes without capturing secrets`, async () => {
      // A secret in the stack config must not end up in the provider text (a captured @pulumi/pulumi
      // module object would carry the runtime's config with it).
      pulumi.runtime.setAllConfig({ "scimkit:existingSecretToken": CONFIG_SECRET }, [
        "scimkit:existingSecretToken",
      ]);
      const serialized = await pulumi.runtime.serializeFunction(() => provider);
      assert.ok(!serialized.text.includes(CONFIG_SECRET), "no stack config secret in the provider text");
      assert.ok(serialized.text.length > 0);
      assert.ok(!serialized.text.includes(graph.token), "no Graph token in the provider text");
      const loaded = await loadSerialized(provider);
      for (const method of ["create", "read", "diff", "update", "delete"] as const) {
        assert.equal(typeof loaded[method], "function", `${name}.${method}`);
      }
      assert.deepEqual(unhandled, []);
    });
  }

  it("the deserialized providers talk to Graph: app, then job, created through the loaded code", async () => {
    const application = await loadSerialized(enterpriseApplicationProvider);
    const created = await application.create({
      templateId: "8adf8e6e-67b2-4cf2-a259-e3dc5476c621",
      displayName: "Serialized",
      appRoles: [],
      owners: [],
      ownershipTag: "scimkit:test/serialized",
      permanentlyDeleteOnDestroy: true,
      providerVersion: "1",
    });
    assert.ok(graph.state.applications.has(created.id));
    const job = await (await loadSerialized(provisioningJobProvider)).create({
      servicePrincipalId: created.outs.servicePrincipalId,
      providerVersion: "1",
    });
    assert.match(job.id, /^scim\./);
    await application.delete!(created.id, created.outs);
    assert.equal(graph.state.applications.size, 0);
    assert.deepEqual(graph.state.contractViolations, []);
    assert.deepEqual(unhandled, []);
  });
});
