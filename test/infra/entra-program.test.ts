/**
 * The whole stack under mocks with the Entra side on: ScimService's tenant URL and token feed the
 * Entra resources, the job starts only after credentials, schema and assignments, and the token stays
 * secret everywhere (inputs and serialized providers).
 */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import {
  findPlainSecrets,
  isSecretWrapped,
  type LoadedProgram,
  loadProgram,
  onlyResourceOfType,
  type RegisteredResource,
  unwrapSecrets,
} from "./support/program-harness";

const IMAGE = `ghcr.io/acme/scimkit:1.0.0@sha256:${"a".repeat(64)}`;
const DYNAMIC = "pulumi-nodejs:dynamic/scimkit:";
let program: LoadedProgram;

before(async () => {
  program = await loadProgram({
    config: {
      image: IMAGE,
      entraAppDisplayName: "Cleanmail Swiss",
      entraAppRoles: [{ value: "Admin", displayName: "Administrator" }],
      entraOwners: ["owner@contoso.com"],
      entraAssignments: [{ user: "alice@contoso.com" }, { group: "Sales", role: "Admin" }],
      entraNotificationEmail: "ops@contoso.com",
      entraUserScopingFilters: [
        { clauses: [{ attribute: "department", operator: "equals", values: ["Sales"] }] },
      ],
      entraWaitForFirstCycle: "fail",
    },
  });
});

const dynamic = (type: string): RegisteredResource => onlyResourceOfType(program, `${DYNAMIC}${type}`);
const dependsOn = (resource: RegisteredResource, type: string) =>
  resource.dependencies.some((dependency) => dependency.startsWith(`${DYNAMIC}${type}::`));

describe("stack with Entra provisioning", () => {
  test("registers the EntraProvisioning component and its six resources", () => {
    onlyResourceOfType(program, "scimkit:entra:EntraProvisioning");
    for (const type of [
      "EnterpriseApplication",
      "AppRoleAssignments",
      "ProvisioningJob",
      "ProvisioningCredentials",
      "ProvisioningSchema",
      "ProvisioningState",
    ]) {
      assert.equal(
        typeof dynamic(type).inputs.__provider,
        "string",
        `${type} carries its serialized provider`,
      );
    }
  });

  test("the credentials get the ScimService's tenant URL and token", () => {
    const credentials = dynamic("ProvisioningCredentials");
    const containerApp = onlyResourceOfType(program, "azure-native:app:ContainerApp");
    const fqdn = (unwrapSecrets(containerApp.inputs) as { containerAppName: string }).containerAppName;
    assert.match(
      String(unwrapSecrets(credentials.inputs.tenantUrl)),
      new RegExp(`^https://${fqdn}\\..*/scim/v2$`),
    );
    assert.ok(isSecretWrapped(credentials.inputs.secretToken), "token input is secret");
    assert.equal(
      program.generatedSecrets.includes(String(unwrapSecrets(credentials.inputs.secretToken))),
      true,
    );
    assert.equal(credentials.inputs.notificationEmail, "ops@contoso.com");
    assert.ok(
      credentials.dependencies.some((dependency) => dependency.startsWith("azure-native:app:ContainerApp::")),
      "credentials wait for the container app",
    );
  });

  test("the job starts only after credentials, schema and assignments", () => {
    const state = dynamic("ProvisioningState");
    for (const type of [
      "ProvisioningCredentials",
      "ProvisioningSchema",
      "AppRoleAssignments",
      "ProvisioningJob",
    ]) {
      assert.ok(dependsOn(state, type), `ProvisioningState depends on ${type}`);
    }
    assert.ok(dependsOn(dynamic("ProvisioningCredentials"), "ProvisioningJob"));
    assert.ok(dependsOn(dynamic("ProvisioningSchema"), "ProvisioningJob"));
    assert.ok(dependsOn(dynamic("ProvisioningJob"), "EnterpriseApplication"));
    assert.ok(dependsOn(dynamic("AppRoleAssignments"), "EnterpriseApplication"));
    assert.equal(state.inputs.waitForFirstCycle, "fail");
  });

  test("config flows into the app, assignments and schema", () => {
    const app = dynamic("EnterpriseApplication");
    assert.equal(app.inputs.displayName, "Cleanmail Swiss");
    assert.equal(app.inputs.templateId, "8adf8e6e-67b2-4cf2-a259-e3dc5476c621");
    assert.deepEqual(app.inputs.owners, ["owner@contoso.com"]);
    assert.match(app.inputs.ownershipTag, /^scimkit:scimkit\/contoso\/entra$/);
    assert.deepEqual(dynamic("AppRoleAssignments").inputs.assignments[1], { group: "Sales", role: "Admin" });
    const schema = dynamic("ProvisioningSchema");
    assert.equal(schema.inputs.userMappings.length, 5);
    assert.equal(schema.inputs.userScopingFilters[0].clauses[0].attribute, "department");
  });

  test("no token appears in plain text in any input or serialized provider", () => {
    assert.ok(program.generatedSecrets.length > 0);
    assert.deepEqual(findPlainSecrets(program.resources, program.generatedSecrets), []);
  });

  test("exports the Entra ids", () => {
    const entra = program.outputs.entraProvisioning as Record<string, unknown>;
    for (const key of [
      "applicationObjectId",
      "applicationDisplayName",
      "servicePrincipalId",
      "jobId",
      "purgeDeletedItems",
    ]) {
      assert.ok(key in entra, `entraProvisioning.${key}`);
    }
    assert.equal(entra.applicationDisplayName, "Cleanmail Swiss");
    assert.equal(entra.purgeDeletedItems, false);
  });
});
