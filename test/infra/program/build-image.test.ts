/**
 * The real program with the trial defaults (only a location set), as `pulumi preview` runs it: the image
 * is built from this repository's Dockerfile into a registry the stack creates and pulled by the app's
 * identity with AcrPull.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { before, describe, test } from "node:test";
import { scimkitPolicies } from "../../../policy/policies";
import { violationsOf } from "../../policy/support/run-policy";
import {
  findPlainSecrets,
  isSecretWrapped,
  type LoadedProgram,
  loadProgram,
  MOCK_SHARED_KEY,
  onlyResourceOfType,
  resourcesOfType,
  unwrapSecrets,
} from "../support/program-harness";

let program: LoadedProgram;

before(async () => {
  program = await loadProgram({
    config: { location: "westeurope", entraEnabled: "false" },
    preview: true,
    stack: "fabrikam-trial",
  });
});

const app = () => onlyResourceOfType(program, "azure-native:app:ContainerApp");

describe("trial stack that builds its image", () => {
  test("creates its own resource group named after the tenant", () => {
    const group = onlyResourceOfType(program, "azure-native:resources:ResourceGroup");
    assert.equal(group.inputs.resourceGroupName, "rg-scimkit-fabrikam-trial");
    assert.equal(group.inputs.location, "westeurope");
  });

  test("the registry has no admin user and the app pulls with its identity", () => {
    const registry = onlyResourceOfType(program, "azure-native:containerregistry:Registry");
    assert.equal(registry.inputs.adminUserEnabled, false);
    assert.equal(registry.inputs.registryName, "acrfabrikamtrialx7k2p9");
    const [registryEntry] = app().inputs.configuration.registries;
    assert.equal(registryEntry.server, "acrfabrikamtrialx7k2p9.azurecr.io");
    assert.match(registryEntry.identity, /userAssignedIdentities\/id-scimkit-fabrikam-trial$/);
    assert.equal(registryEntry.passwordSecretRef, undefined);
    assert.equal(registryEntry.username, undefined);
  });

  test("the identity holds AcrPull on the registry before the app exists", () => {
    const assignments = resourcesOfType(program, "azure-native:authorization:RoleAssignment");
    const acrPull = assignments.find((assignment) =>
      String(assignment.inputs.roleDefinitionId).endsWith("/7f951dda-4ed3-4680-a7ca-43fe172d538d"),
    );
    assert.ok(acrPull, "an AcrPull role assignment must exist");
    assert.match(acrPull.inputs.scope, /Microsoft\.ContainerRegistry\/registries\/acrfabrikamtrialx7k2p9$/);
    for (const assignment of assignments) {
      assert.ok(app().dependencies.includes(`${assignment.type}::${assignment.name}`));
      assert.ok(assignment.order < app().order);
    }
    assert.equal(assignments.length, 2);
  });

  test("the repository's Dockerfile is built for linux/amd64, pushed, and run by digest", () => {
    const image = onlyResourceOfType(program, "docker-build:index:Image");
    const repositoryRoot = path.resolve(__dirname, "../../..");
    assert.equal(image.inputs.context.location, repositoryRoot);
    assert.equal(image.inputs.dockerfile.location, `${repositoryRoot}/Dockerfile`);
    assert.deepEqual(image.inputs.platforms, ["linux/amd64"]);
    assert.equal(image.inputs.push, true);
    assert.equal(image.inputs.buildOnPreview, false);
    assert.deepEqual(image.inputs.tags, ["acrfabrikamtrialx7k2p9.azurecr.io/scimkit:fabrikam-trial"]);
    // The push credential (an exchanged Entra token) is secret; a preview never fetches one.
    assert.ok(isSecretWrapped(image.inputs.registries));
    const [pushCredential] = unwrapSecrets(image.inputs.registries) as Array<{
      username: string;
      password: string;
    }>;
    assert.equal(pushCredential.username, "00000000-0000-0000-0000-000000000000");
    assert.equal(pushCredential.password, "");
    assert.match(
      app().inputs.template.containers[0].image,
      /^acrfabrikamtrialx7k2p9\.azurecr\.io\/scimkit:fabrikam-trial@sha256:[0-9a-f]{64}$/,
    );
  });

  test("trial defaults: scale to zero, smallest size, one token, default base path", () => {
    const scale = app().inputs.template.scale;
    assert.equal(scale.minReplicas, 0);
    assert.equal(scale.maxReplicas, 3);
    assert.deepEqual(app().inputs.template.containers[0].resources, { cpu: 0.25, memory: "0.5Gi" });
    assert.equal(app().inputs.configuration.ingress.ipSecurityRestrictions, undefined);
    assert.deepEqual(
      resourcesOfType(program, "random:index/randomPassword:RandomPassword").map((password) => password.name),
      ["scim-token-g1"],
    );
    const env = app().inputs.template.containers[0].env as Array<{ name: string; value?: string }>;
    assert.equal(env.find((variable) => variable.name === "SCIM_BASE_PATH")?.value, "/scim/v2");
    const workspace = onlyResourceOfType(program, "azure-native:operationalinsights:Workspace");
    assert.equal(workspace.inputs.workspaceName, "log-scimkit-fabrikam-trial-x7k2p9");
    assert.equal(workspace.inputs.retentionInDays, 30);
  });

  test("the whole resource graph passes every policy of the policy pack", () => {
    const violations = program.resources.flatMap((resource) =>
      scimkitPolicies.flatMap((policy) =>
        violationsOf(policy, resource.type, unwrapSecrets(resource.inputs) as Record<string, unknown>).map(
          (message) => `${resource.name}: ${policy.name}: ${message}`,
        ),
      ),
    );
    assert.deepEqual(violations, []);
    assert.ok(program.resources.some((resource) => resource.type === "azure-native:app:ContainerApp"));
  });

  test("no generated token or shared key appears as a plain input", () => {
    assert.equal(program.generatedSecrets.length, 1);
    assert.deepEqual(findPlainSecrets(program.resources, [...program.generatedSecrets, MOCK_SHARED_KEY]), []);
  });
});
