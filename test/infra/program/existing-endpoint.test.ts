/**
 * Bring your own endpoint: with scimkit:deployService false the program deploys nothing to Azure and
 * hands the configured tenant URL and (secret) token on in the same shape a deployed service has.
 */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { findPlainSecrets, type LoadedProgram, loadProgram } from "../support/program-harness";

const TOKEN = "vendor-issued-token-5f8a9c2e41b7";
let program: LoadedProgram;

before(async () => {
  program = await loadProgram({
    config: {
      // The Entra side has its own program tests; these check the Azure graph.
      entraEnabled: "false",
      deployService: "false",
      existingTenantUrl: "https://cloud.cleanmail.ch/api/v3/scim2",
      existingSecretToken: TOKEN,
    },
    secretKeys: ["existingSecretToken"],
  });
});

describe("existing endpoint stack", () => {
  test("creates no Azure resources and calls no Azure API", () => {
    const azure = program.resources.filter((resource) => !resource.type.startsWith("pulumi:"));
    assert.deepEqual(
      azure.map((resource) => resource.type),
      [],
    );
    assert.deepEqual(program.invokes, []);
  });

  test("exports the configured tenant URL and the token, the token only as a secret", async () => {
    assert.equal(program.outputs.tenantUrl, "https://cloud.cleanmail.ch/api/v3/scim2");
    assert.equal(program.outputs.secretToken, TOKEN);
    assert.equal(program.outputs.azure, undefined);
    assert.equal(program.outputs.resourceGroupName, undefined);
    assert.equal(program.outputs.subscriptionId, undefined);
    const index = (await import("../../../infra/index")) as { secretToken: pulumi.Output<string> };
    assert.equal(await pulumi.isSecret(index.secretToken), true);
    assert.deepEqual(findPlainSecrets(program.resources, [TOKEN]), []);
  });
});
