/**
 * Bring your own endpoint with the Entra side on: the configured tenant URL and the secret token from
 * config reach the Entra credentials, the token only as a secret; no Azure resource is created.
 */
import assert from "node:assert/strict";
import { before, test } from "node:test";
import {
  findPlainSecrets,
  isSecretWrapped,
  type LoadedProgram,
  loadProgram,
  onlyResourceOfType,
  unwrapSecrets,
} from "./support/program-harness";

const TOKEN = "vendor-issued-token-5f8a9c2e41b7";
let program: LoadedProgram;

before(async () => {
  program = await loadProgram({
    config: {
      deployService: "false",
      existingTenantUrl: "https://cloud.cleanmail.ch/api/v3/scim2",
      existingSecretToken: TOKEN,
      entraCloud: "china",
      entraUseAadOptscim062020: "true",
      entraProvisioning: "off",
    },
    secretKeys: ["existingSecretToken"],
  });
});

test("the configured endpoint feeds the Entra credentials, the token stays secret", () => {
  const credentials = onlyResourceOfType(program, "pulumi-nodejs:dynamic/scimkit:ProvisioningCredentials");
  assert.equal(unwrapSecrets(credentials.inputs.tenantUrl), "https://cloud.cleanmail.ch/api/v3/scim2");
  assert.equal(credentials.inputs.useAadOptscim062020, true);
  assert.ok(isSecretWrapped(credentials.inputs.secretToken));
  assert.deepEqual(findPlainSecrets(program.resources, [TOKEN]), []);
  assert.equal(
    program.resources.filter((resource) => resource.type.startsWith("azure-native:")).length,
    0,
    "no Azure resources",
  );
});

test("the China cloud's template and Graph endpoint are used, and provisioning stays off", () => {
  const app = onlyResourceOfType(program, "pulumi-nodejs:dynamic/scimkit:EnterpriseApplication");
  assert.equal(app.inputs.templateId, "5a532e38-1581-4918-9658-008dc27c1d68");
  assert.equal(app.inputs.graphEndpoint, "https://microsoftgraph.chinacloudapi.cn");
  const state = onlyResourceOfType(program, "pulumi-nodejs:dynamic/scimkit:ProvisioningState");
  assert.equal(state.inputs.enabled, false);
});
