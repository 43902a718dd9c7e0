/**
 * The whole Pulumi program under mocks with trial mode on: the trial resource gets the Entra side's
 * ScimService's URL and token (secret), waits for the whole Entra side to be in place, and its report
 * becomes the `trial` stack output.
 */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import {
  findPlainSecrets,
  isSecretWrapped,
  type LoadedProgram,
  loadProgram,
  onlyResourceOfType,
  unwrapSecrets,
} from "../infra/support/program-harness";

const IMAGE = `ghcr.io/acme/scimkit:1.0.0@sha256:${"a".repeat(64)}`;
let program: LoadedProgram;

before(async () => {
  program = await loadProgram({
    config: {
      image: IMAGE,
      entraNotificationEmail: "ops@contoso.com",
      entraPermanentDelete: "true",
      trial: "true",
      trialDomain: "contoso.onmicrosoft.com",
      trialUserCount: "4",
    },
  });
});

describe("stack with trial mode", () => {
  test("registers TrialProvisioning with its TrialUsers, fed by the config and the SCIM service", () => {
    onlyResourceOfType(program, "scimkit:trial:TrialProvisioning");
    const users = onlyResourceOfType(program, "pulumi-nodejs:dynamic/scimkit:TrialUsers");
    const inputs = unwrapSecrets(users.inputs) as Record<string, unknown>;
    assert.equal(inputs.stack, "contoso");
    assert.equal(inputs.domain, "contoso.onmicrosoft.com");
    assert.equal(inputs.userCount, 4);
    assert.equal(inputs.purgeOnDestroy, true);
    const credentials = unwrapSecrets(
      onlyResourceOfType(program, "pulumi-nodejs:dynamic/scimkit:ProvisioningCredentials").inputs,
    ) as Record<string, unknown>;
    assert.equal(inputs.scimBaseUrl, String(credentials.tenantUrl).replace(/\?.*$/, ""));
    assert.equal(inputs.scimToken, credentials.secretToken, "the same token Entra gets");
    assert.ok(isSecretWrapped(users.inputs.scimToken), "the token input is secret");
  });

  test("waits for the Entra side: schema, credentials and provisioning state come first", () => {
    const users = onlyResourceOfType(program, "pulumi-nodejs:dynamic/scimkit:TrialUsers");
    for (const type of [
      "ProvisioningSchema",
      "ProvisioningCredentials",
      "ProvisioningState",
      "AppRoleAssignments",
    ]) {
      const other = onlyResourceOfType(program, `pulumi-nodejs:dynamic/scimkit:${type}`);
      assert.ok(users.dependencies.includes(`${other.type}::${other.name}`), `TrialUsers waits for ${type}`);
      assert.ok(users.order > other.order);
    }
  });

  test("exports the trial report as the `trial` output, and no secret in plain text anywhere", () => {
    // Under mocks the provider does not run, so the report itself is empty; the output is wired.
    assert.ok("trial" in program.outputs, "the trial output exists");
    assert.ok(program.generatedSecrets.length > 0);
    assert.deepEqual(findPlainSecrets(program.resources, program.generatedSecrets), []);
  });
});
