/**
 * Every Entra dynamic provider driven through create → read → diff → update → delete against the
 * strict Graph simulator, with drift made behind the providers' back and a second apply that must
 * make no write call.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DEFAULT_GROUP_MAPPINGS, DEFAULT_USER_MAPPINGS } from "../../infra/entra/mapping-types";
import { appRoleAssignmentsProvider } from "../../infra/entra/providers/app-role-assignments";
import { enterpriseApplicationProvider } from "../../infra/entra/providers/enterprise-application";
import { provisioningCredentialsProvider } from "../../infra/entra/providers/provisioning-credentials";
import { provisioningJobProvider } from "../../infra/entra/providers/provisioning-job";
import { provisioningSchemaProvider } from "../../infra/entra/providers/provisioning-schema";
import { provisioningStateProvider } from "../../infra/entra/providers/provisioning-state";
import { type GraphSimulator, startGraphSimulator, USER_ROLE_ID } from "../support/graph-simulator";
import {
  type ProviderState,
  refresh,
  up,
  useSimulatorEnvironment,
} from "../support/graph-simulator/provider-harness";
import { type ScimEndpointStub, startScimEndpointStub } from "../support/graph-simulator/scim-endpoint-stub";

// biome-ignore lint/suspicious/noExplicitAny: the simulator's Graph JSON is inspected structurally.
type GraphJson = any;

const NON_GALLERY = "8adf8e6e-67b2-4cf2-a259-e3dc5476c621";
const SCIM_TOKEN = "scim-bearer-token-for-tests";

describe("Entra dynamic providers against the Graph simulator", () => {
  let graph: GraphSimulator;
  let scim: ScimEndpointStub;
  let restoreEnvironment: () => void;
  let alice: { id: string };
  let sales: { id: string };

  before(async () => {
    graph = await startGraphSimulator({ replicationLagCalls: 2 });
    scim = await startScimEndpointStub(SCIM_TOKEN);
    restoreEnvironment = useSimulatorEnvironment(graph);
    alice = graph.state.addUser("alice@contoso.test") as { id: string };
    graph.state.addUser("bob@contoso.test");
    sales = graph.state.addGroup("Sales", [alice.id]) as { id: string };
  });
  after(async () => {
    restoreEnvironment();
    await scim.close();
    await graph.close();
  });

  const assertNoContractViolation = () => assert.deepEqual(graph.state.contractViolations, []);

  let application: ProviderState;
  const applicationInputs = {
    templateId: NON_GALLERY,
    displayName: "Cleanmail Swiss",
    appRoles: [{ value: "Admin", displayName: "Administrator" }],
    owners: ["bob@contoso.test"],
    ownershipTag: "scimkit:test/dev/app",
    permanentlyDeleteOnDestroy: true,
    providerVersion: "1",
  };

  describe("EnterpriseApplication", () => {
    it("instantiates the template once, tags it and adds the declared role next to the template's", async () => {
      const created = await up(enterpriseApplicationProvider, undefined, applicationInputs);
      application = created;
      assert.equal(graph.state.applications.size, 1);
      const app = graph.state.applications.get(created.id)!;
      assert.deepEqual(app.tags, ["scimkit:test/dev/app"]);
      const roles = (app.appRoles as Array<{ value: string | null; id: string }>).map(
        (role) => role.value ?? role.id,
      );
      assert.deepEqual(roles.sort(), ["Admin", USER_ROLE_ID, "b9632174-c057-4f7e-951b-be3adc52bfe6"].sort());
      assert.ok(graph.state.servicePrincipals.has(created.outs.servicePrincipalId));
      const bob = [...graph.state.users.values()].find(
        (user) => user.userPrincipalName === "bob@contoso.test",
      )!;
      assert.deepEqual(graph.state.owners.get(created.id), [bob.id]);
      assert.deepEqual(graph.state.owners.get(created.outs.servicePrincipalId), [bob.id]);
      assertNoContractViolation();
    });

    it("adopts its own app after an interrupted create instead of instantiating again", async () => {
      const again = await enterpriseApplicationProvider.create(applicationInputs);
      assert.equal(again.id, application.id);
      assert.equal(graph.state.applications.size, 1);
    });

    it("makes no write call on a second apply", async () => {
      graph.state.clearCalls();
      const refreshed = await refresh(enterpriseApplicationProvider, application);
      const second = await up(enterpriseApplicationProvider, refreshed, applicationInputs);
      assert.equal(second.action, "same");
      assert.deepEqual(graph.state.writeCalls(), []);
    });

    it("shows a role edited in the portal on refresh and restores it on up", async () => {
      const app = graph.state.applications.get(application.id)!;
      const admin = (app.appRoles as Array<{ value: string; displayName: string }>).find(
        (r) => r.value === "Admin",
      )!;
      admin.displayName = "Edited in portal";
      const refreshed = (await refresh(enterpriseApplicationProvider, application))!;
      assert.equal(refreshed.outs.appRoles[0].displayName, "Edited in portal");
      const restored = await up(enterpriseApplicationProvider, refreshed, applicationInputs);
      assert.equal(restored.action, "update");
      const roles = graph.state.applications.get(application.id)!.appRoles as Array<{
        value: string;
        displayName: string;
      }>;
      assert.equal(roles.find((r) => r.value === "Admin")!.displayName, "Administrator");
      application = restored;
    });

    it("notices an owner removed in the portal and adds it back", async () => {
      graph.state.owners.set(application.outs.servicePrincipalId, []);
      const refreshed = (await refresh(enterpriseApplicationProvider, application))!;
      assert.deepEqual(refreshed.outs.ownerIds, []);
      application = await up(enterpriseApplicationProvider, refreshed, applicationInputs);
      assert.equal(application.action, "update");
      assert.equal(graph.state.owners.get(application.outs.servicePrincipalId)!.length, 1);
      assertNoContractViolation();
    });

    it("removes an owner config no longer declares, leaving others' owners alone", async () => {
      const other = graph.state.addUser("carol@contoso.test");
      graph.state.owners.get(application.id)!.push(String(other.id));
      application = await up(enterpriseApplicationProvider, application, {
        ...applicationInputs,
        owners: [],
      });
      assert.deepEqual(graph.state.owners.get(application.id), [other.id]);
      application = await up(enterpriseApplicationProvider, application, applicationInputs);
      assert.equal(graph.state.owners.get(application.id)!.length, 2);
    });

    it("removes a role config no longer declares by disabling it first", async () => {
      const withoutAdmin = { ...applicationInputs, appRoles: [{ value: "Reader", displayName: "Reader" }] };
      application = await up(enterpriseApplicationProvider, application, withoutAdmin);
      const values = (
        graph.state.applications.get(application.id)!.appRoles as Array<{ value: string | null }>
      ).map((r) => r.value);
      assert.ok(!values.includes("Admin"));
      assert.ok(values.includes("Reader"));
      application = await up(enterpriseApplicationProvider, application, applicationInputs);
      assertNoContractViolation();
    });
  });

  let assignments: ProviderState;
  const assignmentInputs = () => ({
    servicePrincipalId: application.outs.servicePrincipalId,
    assignments: [{ user: "alice@contoso.test" }, { group: "Sales", role: "Admin" }],
    providerVersion: "1",
  });

  describe("AppRoleAssignments", () => {
    it("resolves the UPN and the group name and assigns them to their roles", async () => {
      assignments = await up(appRoleAssignmentsProvider, undefined, assignmentInputs());
      const present = graph.state.assignments.get(application.outs.servicePrincipalId)!;
      assert.equal(present.length, 2);
      assert.ok(present.some((a) => a.principalId === alice.id && a.appRoleId === USER_ROLE_ID));
      assert.ok(present.some((a) => a.principalId === sales.id && a.principalType === "Group"));
      assertNoContractViolation();
    });

    it("makes no write call on a second apply", async () => {
      graph.state.clearCalls();
      const second = await up(
        appRoleAssignmentsProvider,
        await refresh(appRoleAssignmentsProvider, assignments),
        assignmentInputs(),
      );
      assert.equal(second.action, "same");
      assert.deepEqual(graph.state.writeCalls(), []);
    });

    it("notices an assignment removed in the portal and puts it back", async () => {
      const present = graph.state.assignments.get(application.outs.servicePrincipalId)!;
      present.splice(
        present.findIndex((a) => a.principalId === alice.id),
        1,
      );
      const refreshed = (await refresh(appRoleAssignmentsProvider, assignments))!;
      assert.equal(refreshed.outs.resolved.length, 1);
      assignments = await up(appRoleAssignmentsProvider, refreshed, assignmentInputs());
      assert.equal(assignments.action, "update");
      assert.equal(graph.state.assignments.get(application.outs.servicePrincipalId)!.length, 2);
    });

    it("fails with the name when a user does not exist", async () => {
      await assert.rejects(
        up(appRoleAssignmentsProvider, assignments, {
          ...assignmentInputs(),
          assignments: [{ user: "nobody@contoso.test" }],
        }),
        /nobody@contoso\.test/,
      );
    });
  });

  let job: ProviderState;
  describe("ProvisioningJob", () => {
    it("creates the job from the app's template, Disabled, and reuses it on a second create", async () => {
      job = await up(provisioningJobProvider, undefined, {
        servicePrincipalId: application.outs.servicePrincipalId,
        providerVersion: "1",
      });
      assert.equal(job.outs.templateId, "scim");
      assert.equal(graph.state.onlyJob(application.outs.servicePrincipalId).schedule.state, "Disabled");
      const again = await provisioningJobProvider.create({
        servicePrincipalId: application.outs.servicePrincipalId,
        providerVersion: "1",
      });
      assert.equal(again.id, job.id);
      graph.state.onlyJob(application.outs.servicePrincipalId);
    });
  });

  describe("ProvisioningJob drift", () => {
    it("makes no write call on a second apply", async () => {
      graph.state.clearCalls();
      const inputs = { servicePrincipalId: application.outs.servicePrincipalId, providerVersion: "1" };
      const second = await up(provisioningJobProvider, await refresh(provisioningJobProvider, job), inputs);
      assert.equal(second.action, "same");
      assert.deepEqual(graph.state.writeCalls(), []);
    });

    it("reports a job deleted in the portal as gone, so up creates it again", async () => {
      const sync = graph.state.synchronization.get(application.outs.servicePrincipalId)!;
      const saved = sync.jobs.get(job.id)!;
      sync.jobs.delete(job.id);
      assert.equal(await refresh(provisioningJobProvider, job), undefined);
      const inputs = { servicePrincipalId: application.outs.servicePrincipalId, providerVersion: "1" };
      const recreated = await up(provisioningJobProvider, undefined, inputs);
      assert.equal(recreated.id, job.id, "same job id: scim.<tenant>.<appId>");
      // Keep the rest of the scenario on the original job object.
      sync.jobs.set(job.id, saved);
    });
  });

  let credentials: ProviderState;
  const credentialInputs = () => ({
    servicePrincipalId: application.outs.servicePrincipalId,
    jobId: job.id,
    tenantUrl: scim.baseUrl,
    secretToken: SCIM_TOKEN,
    useAadOptscim062020: true,
    notificationEmail: "ops@contoso.test",
    notifyOnFailure: true,
    deleteThresholdEnabled: true,
    deleteThresholdValue: 500,
    syncAll: false,
    skipOutOfScopeDeletions: false,
    providerVersion: "1",
  });

  describe("ProvisioningCredentials", () => {
    it("fails with Entra's message when Test Connection fails, and saves nothing", async () => {
      await assert.rejects(
        up(provisioningCredentialsProvider, undefined, { ...credentialInputs(), secretToken: "wrong-token" }),
        /Test Connection .* failed.*Response Status Code: 401/,
      );
      assert.equal(graph.state.synchronization.get(application.outs.servicePrincipalId)!.secrets.size, 0);
    });

    it("tests the connection against the SCIM endpoint, then saves the complete set as strings", async () => {
      credentials = await up(provisioningCredentialsProvider, undefined, credentialInputs());
      assert.match(scim.filters.at(-1)!, /^userName eq "[0-9a-f-]{36}"$/);
      const secrets = graph.state.synchronization.get(application.outs.servicePrincipalId)!.secrets;
      assert.deepEqual([...secrets.keys()].sort(), [
        "BaseAddress",
        "SecretToken",
        "SkipOutOfScopeDeletions",
        "SyncAll",
        "SyncNotificationSettings",
      ]);
      assert.equal(secrets.get("BaseAddress"), `${scim.baseUrl}?aadOptscim062020`);
      assert.equal(secrets.get("SyncAll"), "false");
      assert.deepEqual(JSON.parse(secrets.get("SyncNotificationSettings")!), {
        Enabled: true,
        Recipients: "ops@contoso.test",
        DeleteThresholdEnabled: true,
        DeleteThresholdValue: 500,
      });
      assertNoContractViolation();
    });

    it("makes no write call on a second apply (masked values are never written back)", async () => {
      graph.state.clearCalls();
      const refreshed = await refresh(provisioningCredentialsProvider, credentials);
      const second = await up(provisioningCredentialsProvider, refreshed, credentialInputs());
      assert.equal(second.action, "same");
      assert.deepEqual(graph.state.writeCalls(), []);
    });

    it("notices a credential removed behind its back and saves the full set again", async () => {
      graph.state.synchronization.get(application.outs.servicePrincipalId)!.secrets.delete("SecretToken");
      const refreshed = (await refresh(provisioningCredentialsProvider, credentials))!;
      assert.ok(!refreshed.outs.presentKeys.includes("SecretToken"));
      credentials = await up(provisioningCredentialsProvider, refreshed, credentialInputs());
      assert.equal(credentials.action, "update");
      assert.equal(
        graph.state.synchronization.get(application.outs.servicePrincipalId)!.secrets.get("SecretToken"),
        SCIM_TOKEN,
      );
    });

    it("re-saves when the scope setting changes", async () => {
      credentials = await up(provisioningCredentialsProvider, credentials, {
        ...credentialInputs(),
        syncAll: true,
      });
      assert.equal(credentials.action, "update");
      assert.equal(
        graph.state.synchronization.get(application.outs.servicePrincipalId)!.secrets.get("SyncAll"),
        "true",
      );
      credentials = await up(provisioningCredentialsProvider, credentials, credentialInputs());
    });
  });

  let schema: ProviderState;
  const schemaInputs = () => ({
    servicePrincipalId: application.outs.servicePrincipalId,
    jobId: job.id,
    userMappings: DEFAULT_USER_MAPPINGS,
    userScopingFilters: [
      { clauses: [{ attribute: "department", operator: "equals", values: ["Sales"] }] },
      { clauses: [{ attribute: "employeeId", operator: "is not null" }] },
    ],
    provisionGroups: true,
    groupMappings: DEFAULT_GROUP_MAPPINGS,
    groupScopingFilters: [],
    providerVersion: "1",
  });
  const userMapping = () => {
    const rule = (
      graph.state.onlyJob(application.outs.servicePrincipalId).schema.synchronizationRules as GraphJson[]
    )[0];
    return rule.objectMappings.find((m: GraphJson) => m.sourceObjectName === "User");
  };

  describe("ProvisioningSchema", () => {
    it("PUTs a schema with exactly the seed app's five mappings and the scoping filters", async () => {
      const ruleIdBefore = (
        graph.state.onlyJob(application.outs.servicePrincipalId).schema.synchronizationRules as GraphJson[]
      )[0].id;
      schema = await up(provisioningSchemaProvider, undefined, schemaInputs());
      const users = userMapping();
      const targets = users.attributeMappings.map((m: GraphJson) => m.targetAttributeName).sort();
      assert.deepEqual(targets, ["active", "externalId", "name.familyName", "name.givenName", "userName"]);
      const userName = users.attributeMappings.find((m: GraphJson) => m.targetAttributeName === "userName");
      assert.equal(userName.matchingPriority, 1);
      assert.equal(userName.source.name, "userPrincipalName");
      const active = users.attributeMappings.find((m: GraphJson) => m.targetAttributeName === "active");
      assert.equal(active.source.type, "Function");
      assert.equal(active.source.name, "Switch");
      assert.equal(users.scope.groups.length, 2);
      assert.equal(users.scope.groups[0].clauses[0].operatorName, "EQUALS");
      assert.equal(users.scope.groups[1].clauses[0].operatorName, "IS_NOT_NULL");
      const current = graph.state.onlyJob(application.outs.servicePrincipalId).schema as GraphJson;
      assert.equal(current.synchronizationRules[0].id, ruleIdBefore, "rule id kept");
      assert.equal(current.directories.length, 2, "directories kept");
      const methods = graph.state.calls.filter((c) => c.path.endsWith("/schema")).map((c) => c.method);
      assert.ok(!methods.includes("PATCH"), "never PATCHes the schema");
      assertNoContractViolation();
    });

    it("makes no write call on a second apply", async () => {
      graph.state.clearCalls();
      const second = await up(
        provisioningSchemaProvider,
        await refresh(provisioningSchemaProvider, schema),
        schemaInputs(),
      );
      assert.equal(second.action, "same");
      // Even a forced update with the same inputs writes nothing.
      await provisioningSchemaProvider.update!(schema.id, schema.outs, schemaInputs());
      assert.deepEqual(graph.state.writeCalls(), []);
    });

    it("shows a mapping and a scope changed in the portal and restores them", async () => {
      const users = userMapping();
      users.attributeMappings.find((m: GraphJson) => m.targetAttributeName === "userName").matchingPriority =
        0;
      users.attributeMappings.push({
        ...users.attributeMappings[0],
        targetAttributeName: "displayName",
        matchingPriority: 0,
      });
      users.scope = null;
      const refreshed = (await refresh(provisioningSchemaProvider, schema))!;
      assert.equal(refreshed.outs.observed.users.scope.length, 0);
      schema = await up(provisioningSchemaProvider, refreshed, schemaInputs());
      assert.equal(schema.action, "update");
      const restored = userMapping();
      assert.equal(restored.attributeMappings.length, 5);
      assert.equal(restored.scope.groups.length, 2);
    });

    it("fails listing the offered operators when one is unknown", async () => {
      const bad = {
        ...schemaInputs(),
        userScopingFilters: [{ clauses: [{ attribute: "x", operator: "sounds like" }] }],
      };
      await assert.rejects(up(provisioningSchemaProvider, schema, bad), /"sounds like".*IS_NOT_NULL/s);
    });

    it("turns group provisioning off and declares constant and only-on-create mappings", async () => {
      const inputs = {
        ...schemaInputs(),
        provisionGroups: false,
        userMappings: [
          ...DEFAULT_USER_MAPPINGS,
          { target: "title", constant: "Employee", apply: "onCreate" as const },
          { target: "displayName", expression: 'Join(" ", [givenName], [surname])' },
        ],
      };
      schema = await up(provisioningSchemaProvider, schema, inputs);
      const title = userMapping().attributeMappings.find((m: GraphJson) => m.targetAttributeName === "title");
      assert.deepEqual(
        [title.source.type, title.source.name, title.flowType],
        ["Constant", "Employee", "ObjectAddOnly"],
      );
      const rule = (
        graph.state.onlyJob(application.outs.servicePrincipalId).schema.synchronizationRules as GraphJson[]
      )[0];
      assert.equal(rule.objectMappings.find((m: GraphJson) => m.sourceObjectName === "Group").enabled, false);
      schema = await up(provisioningSchemaProvider, schema, schemaInputs());
    });
  });

  let state: ProviderState;
  const stateInputs = (overrides: object = {}) => ({
    servicePrincipalId: application.outs.servicePrincipalId,
    jobId: job.id,
    enabled: true,
    restartTrigger: "",
    waitForFirstCycle: "fail" as const,
    firstCycleTimeoutSeconds: 5,
    pollIntervalSeconds: 0.05,
    onDemandUsers: ["alice@contoso.test"],
    providerVersion: "1",
    ...overrides,
  });

  describe("ProvisioningState", () => {
    it("starts the job, waits for the first cycle and provisions a user on demand", async () => {
      state = await up(provisioningStateProvider, undefined, stateInputs());
      assert.equal(graph.state.onlyJob(application.outs.servicePrincipalId).schedule.state, "Active");
      assert.equal(state.outs.statusCode, "Active");
      assert.ok(
        graph.state.calls.some(
          (c) => c.operationId === "synchronization.jobs.provisionOnDemand" && c.status === 200,
        ),
      );
      assertNoContractViolation();
    });

    it("makes no write call on a second apply", async () => {
      graph.state.clearCalls();
      const second = await up(
        provisioningStateProvider,
        await refresh(provisioningStateProvider, state),
        stateInputs(),
      );
      assert.equal(second.action, "same");
      assert.deepEqual(graph.state.writeCalls(), []);
    });

    it("shows a job paused in the portal and starts it again", async () => {
      const simulatedJob = graph.state.onlyJob(application.outs.servicePrincipalId);
      simulatedJob.schedule.state = "Paused";
      simulatedJob.status.code = "Paused";
      const refreshed = (await refresh(provisioningStateProvider, state))!;
      assert.equal(refreshed.outs.enabled, false);
      graph.state.clearCalls();
      state = await up(provisioningStateProvider, refreshed, stateInputs({ onDemandUsers: [] }));
      assert.equal(state.action, "update");
      assert.equal(
        graph.state.writeCalls().filter((c) => c.operationId === "synchronization.jobs.start").length,
        1,
      );
    });

    it("restarts when the trigger changes, without calling start on an Active job", async () => {
      graph.state.clearCalls();
      state = await up(
        provisioningStateProvider,
        state,
        stateInputs({ onDemandUsers: [], restartTrigger: "2026-11-27" }),
      );
      const operations = graph.state.writeCalls().map((c) => c.operationId);
      assert.deepEqual(operations, ["synchronization.jobs.restart"]);
      const restart = graph.state.onlyJob(application.outs.servicePrincipalId).restarts.at(-1) as GraphJson;
      assert.equal(restart.criteria.resetScope, "Watermark, Escrows, QuarantineState");
    });

    it("fails with the quarantine reason and troubleshooting URL", async () => {
      const simulatedJob = graph.state.onlyJob(application.outs.servicePrincipalId);
      simulatedJob.schedule.state = "Paused";
      simulatedJob.status.code = "Paused";
      graph.state.cycleOutcome = "quarantine";
      const refreshed = (await refresh(provisioningStateProvider, state))!;
      await assert.rejects(
        up(
          provisioningStateProvider,
          refreshed,
          stateInputs({ onDemandUsers: [], restartTrigger: "2026-11-27" }),
        ),
        /quarantine \(reason EncounteredQuarantineException: The SCIM endpoint is not compatible.*\)\. Troubleshooting: https:\/\/aka\.ms/,
      );
      const quarantined = (await refresh(provisioningStateProvider, state))!;
      assert.match(quarantined.outs.health, /EncounteredQuarantineException/);
      graph.state.cycleOutcome = "success";
    });

    it("only warns on quarantine when asked to, reporting it as health", async () => {
      const simulatedJob = graph.state.onlyJob(application.outs.servicePrincipalId);
      simulatedJob.schedule.state = "Paused";
      simulatedJob.status.code = "Paused";
      graph.state.cycleOutcome = "quarantine";
      const refreshed = (await refresh(provisioningStateProvider, state))!;
      state = await up(
        provisioningStateProvider,
        refreshed,
        stateInputs({ onDemandUsers: [], waitForFirstCycle: "warn" }),
      );
      assert.equal(state.action, "update");
      assert.match(state.outs.health, /quarantine \(reason EncounteredQuarantineException/);
      assert.equal(state.outs.statusCode, "Quarantine");
      graph.state.cycleOutcome = "success";
    });

    it("fails the smoke test for a user who is not assigned, saying why", async () => {
      await assert.rejects(
        up(
          provisioningStateProvider,
          state,
          stateInputs({ onDemandUsers: ["bob@contoso.test"], waitForFirstCycle: "off" }),
        ),
        /Provision on demand of bob@contoso\.test ended with Skipped.*assigned to the app/,
      );
    });

    it("pauses when turned off", async () => {
      state = await up(provisioningStateProvider, state, stateInputs({ enabled: false, onDemandUsers: [] }));
      assert.equal(graph.state.onlyJob(application.outs.servicePrincipalId).schedule.state, "Paused");
    });
  });

  describe("teardown", () => {
    it("pauses and deletes the job, removes assignments, deletes and purges the app and service principal", async () => {
      const spId = application.outs.servicePrincipalId;
      graph.state.onlyJob(spId).schedule.state = "Active";
      graph.state.clearCalls();
      // Reverse dependency order, as `pulumi destroy` does.
      await provisioningStateProvider.delete!(state.id, state.outs);
      await provisioningSchemaProvider.delete!(schema.id, schema.outs);
      await provisioningCredentialsProvider.delete!(credentials.id, credentials.outs);
      await provisioningJobProvider.delete!(job.id, job.outs);
      await appRoleAssignmentsProvider.delete!(assignments.id, assignments.outs);
      await enterpriseApplicationProvider.delete!(application.id, application.outs);
      const operations = graph.state.writeCalls().map((c) => c.operationId);
      assert.deepEqual(operations, [
        "synchronization.jobs.pause",
        "synchronization.jobs.delete",
        "servicePrincipals.appRoleAssignedTo.delete",
        "servicePrincipals.appRoleAssignedTo.delete",
        "servicePrincipals.delete",
        "applications.delete",
        "directory.deletedItems.delete",
        "directory.deletedItems.delete",
      ]);
      assert.equal(graph.state.applications.size, 0);
      assert.equal(graph.state.servicePrincipals.size, 0);
      assert.equal(graph.state.deletedItems.size, 0, "nothing left in deleted items");
      assertNoContractViolation();
    });

    it("refresh reports the application gone", async () => {
      assert.equal(await refresh(enterpriseApplicationProvider, application), undefined);
    });
  });
});
