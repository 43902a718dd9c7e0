/** The pure decisions behind the Entra providers: mapping diff, desired schema, scoping, operators, secrets, roles. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { appRoleId, planAppRoles } from "../../infra/entra/app-roles";
import { nonGalleryTemplateFor, ownershipTag } from "../../infra/entra/entra-provisioning";
import { normalizeOperatorName, resolveOperatorName } from "../../infra/entra/filter-operators";
import { DEFAULT_GROUP_MAPPINGS, DEFAULT_USER_MAPPINGS } from "../../infra/entra/mapping-types";
import { resolveRoleId } from "../../infra/entra/principals";
import { chooseSynchronizationTemplate } from "../../infra/entra/providers/provisioning-job";
import { firstCycleOutcome, onDemandResult } from "../../infra/entra/provisioning-health";
import {
  applyDesiredSchema,
  type DesiredProvisioningSchema,
  desiredView,
  normalizeExpression,
  observedView,
  viewsEqual,
} from "../../infra/entra/provisioning-schema";
import { buildScopingFilter } from "../../infra/entra/scoping-filter";
import { buildSynchronizationSecrets, tenantUrlWithFlag } from "../../infra/entra/synchronization-secrets";
import { nonGallerySchema } from "../support/graph-simulator/template-schema";

const desired: DesiredProvisioningSchema = {
  userMappings: DEFAULT_USER_MAPPINGS,
  userScopingFilters: [],
  provisionGroups: true,
  groupMappings: DEFAULT_GROUP_MAPPINGS,
  groupScopingFilters: [],
};

describe("filter operator resolution", () => {
  it("matches friendly names ignoring case, spaces and underscores", () => {
    const offered = ["EQUALS", "IS_NOT_NULL", "Greater_Than_OR_EQUALS", "&"];
    assert.equal(resolveOperatorName("is not null", offered), "IS_NOT_NULL");
    assert.equal(resolveOperatorName("greater than or equals", offered), "Greater_Than_OR_EQUALS");
    assert.equal(resolveOperatorName("&", offered), "&");
    assert.equal(normalizeOperatorName("Not_Regex Match"), "notregexmatch");
  });

  it("fails listing what the service offers", () => {
    assert.throws(() => resolveOperatorName("LIKE", ["EQUALS", "IS_TRUE"]), /"LIKE".*EQUALS, IS_TRUE/);
  });
});

describe("scoping filter", () => {
  it("ORs filter groups and ANDs their clauses, with resolved operator names", () => {
    const filter = buildScopingFilter(
      [
        {
          clauses: [
            { attribute: "department", operator: "equals", values: ["Sales"] },
            { attribute: "accountEnabled", operator: "is true" },
          ],
        },
        {
          name: "contractors",
          clauses: [{ attribute: "employeeType", operator: "equals", values: ["Contractor"] }],
        },
      ],
      (friendly) => friendly.toUpperCase().replace(/ /g, "_"),
    )!;
    assert.equal(filter.groups.length, 2);
    assert.equal(filter.groups[0].clauses.length, 2);
    assert.deepEqual(filter.groups[0].clauses[1], {
      operatorName: "IS_TRUE",
      sourceOperandName: "accountEnabled",
      targetOperand: { values: [] },
    });
    assert.equal(filter.groups[1].name, "contractors");
  });

  it("is null when nothing is declared", () => {
    assert.equal(
      buildScopingFilter([], (x) => x),
      null,
    );
  });
});

describe("desired schema", () => {
  const template = nonGallerySchema("scim.job");
  const parsed = new Map([
    [
      DEFAULT_USER_MAPPINGS[1].expression!,
      { type: "Function", name: "Switch", expression: null, parameters: [] } as unknown,
    ],
  ]);

  it("keeps only the declared user mappings, rule ids and directories", () => {
    const next = applyDesiredSchema(template, desired, {
      resolveOperator: (x) => x,
      parsedExpressions: parsed,
    });
    assert.equal(next.synchronizationRules[0].id, template.synchronizationRules[0].id);
    assert.deepEqual(next.directories, template.directories);
    const users = next.synchronizationRules[0].objectMappings[0];
    assert.deepEqual(
      users.attributeMappings.map((m: { targetAttributeName: string }) => m.targetAttributeName),
      ["userName", "active", "name.givenName", "name.familyName", "externalId"],
    );
    assert.ok(viewsEqual(observedView(next), desiredView(desired)));
    assert.notEqual(
      template.synchronizationRules[0].objectMappings[0].attributeMappings.length,
      5,
      "input not mutated",
    );
  });

  it("sees the template as different from the seed app's table", () => {
    assert.equal(viewsEqual(observedView(template), desiredView(desired)), false);
  });

  it("reuses an unchanged mapping object as Graph returned it", () => {
    const next = applyDesiredSchema(template, desired, {
      resolveOperator: (x) => x,
      parsedExpressions: parsed,
    });
    const original = template.synchronizationRules[0].objectMappings[0].attributeMappings.find(
      (m: { targetAttributeName: string }) => m.targetAttributeName === "name.givenName",
    );
    const kept = next.synchronizationRules[0].objectMappings[0].attributeMappings.find(
      (m: { targetAttributeName: string }) => m.targetAttributeName === "name.givenName",
    );
    assert.deepEqual(kept, original);
  });

  it("refuses a target the app's schema does not have, listing the known ones", () => {
    const wrong = {
      ...desired,
      userMappings: [...DEFAULT_USER_MAPPINGS, { target: "shoeSize", source: "mail" }],
    };
    assert.throws(
      () => applyDesiredSchema(template, wrong, { resolveOperator: (x) => x, parsedExpressions: parsed }),
      /"shoeSize".*Known: .*userName/s,
    );
  });

  it("treats an empty default value as none, whichever way Graph answers it", () => {
    const answered = structuredClone(template);
    const next = applyDesiredSchema(answered, desired, {
      resolveOperator: (x) => x,
      parsedExpressions: parsed,
    });
    for (const mapping of next.synchronizationRules[0].objectMappings[0].attributeMappings)
      mapping.defaultValue = "";
    assert.ok(viewsEqual(observedView(next), desiredView(desired)));
  });

  it("compares expressions without insignificant spaces", () => {
    assert.equal(normalizeExpression('Join(" ", [a],  [b])'), 'Join(" ",[a],[b])');
  });
});

describe("synchronization secrets", () => {
  const settings = {
    tenantUrl: "https://scim.example/scim/v2",
    secretToken: "t0k3n",
    useAadOptscim062020: false,
    notificationEmail: "ops@contoso.com",
    notifyOnFailure: true,
    deleteThresholdEnabled: true,
    deleteThresholdValue: 500,
    syncAll: false,
    skipOutOfScopeDeletions: true,
  };

  it("is the complete set, every value a string", () => {
    const pairs = buildSynchronizationSecrets(settings);
    assert.deepEqual(
      pairs.map((pair) => pair.key),
      ["BaseAddress", "SecretToken", "SyncNotificationSettings", "SyncAll", "SkipOutOfScopeDeletions"],
    );
    for (const pair of pairs) assert.equal(typeof pair.value, "string");
    assert.equal(pairs.find((pair) => pair.key === "SkipOutOfScopeDeletions")!.value, "true");
  });

  it("disables failure emails when there is no recipient", () => {
    const pairs = buildSynchronizationSecrets({ ...settings, notificationEmail: undefined });
    const notification = JSON.parse(pairs.find((pair) => pair.key === "SyncNotificationSettings")!.value);
    assert.equal(notification.Enabled, false);
  });

  it("adds the aadOptscim062020 flag once", () => {
    const flagged = tenantUrlWithFlag("https://scim.example/scim/v2", true);
    assert.equal(flagged, "https://scim.example/scim/v2?aadOptscim062020");
    assert.equal(tenantUrlWithFlag(flagged, true), flagged);
  });
});

describe("app roles", () => {
  const template = [
    {
      id: "18d14569-c3bd-439b-9a66-3a2aee01d14f",
      value: null,
      displayName: "User",
      description: "User",
      allowedMemberTypes: ["User"],
      isEnabled: true,
    },
  ];

  it("keeps the template's roles and gives new roles a stable id", () => {
    const plan = planAppRoles("app-1", template, [{ value: "Admin", displayName: "Administrator" }], []);
    assert.equal(plan.disableFirst, undefined);
    assert.equal(plan.final!.length, 2);
    assert.equal(plan.final![1].id, appRoleId("app-1", "Admin"));
    assert.equal(appRoleId("app-1", "Admin"), appRoleId("app-1", "Admin"));
    assert.match(
      appRoleId("app-1", "Admin"),
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it("disables a role before removing it, and leaves roles others added", () => {
    const admin = {
      id: appRoleId("app-1", "Admin"),
      value: "Admin",
      displayName: "Administrator",
      description: "Administrator",
      allowedMemberTypes: ["User"],
      isEnabled: true,
    };
    const portal = { ...admin, id: "7e0f4c57-0000-4000-8000-000000000001", value: "PortalRole" };
    const plan = planAppRoles("app-1", [...template, admin, portal], [], ["Admin"]);
    assert.equal(plan.disableFirst!.find((role) => role.value === "Admin")!.isEnabled, false);
    assert.deepEqual(
      plan.final!.map((role) => role.value),
      [null, "PortalRole"],
    );
  });

  it("plans nothing when the roles are already in place", () => {
    const first = planAppRoles("app-1", template, [{ value: "Admin", displayName: "Administrator" }], []);
    assert.deepEqual(
      planAppRoles("app-1", first.final!, [{ value: "Admin", displayName: "Administrator" }], ["Admin"]),
      {
        disableFirst: undefined,
        final: undefined,
      },
    );
  });

  it("resolves an assignment's role by value, else display name, defaulting to User", () => {
    const roles = [
      { id: "u", value: null, displayName: "User" },
      { id: "a", value: "Admin", displayName: "Administrator" },
    ];
    assert.equal(resolveRoleId(roles, undefined), "u");
    assert.equal(resolveRoleId(roles, "Admin"), "a");
    assert.equal(resolveRoleId(roles, "Administrator"), "a");
    assert.throws(() => resolveRoleId(roles, "Owner"), /"Owner".*Roles: User, Admin/);
  });
});

describe("job template, health and naming", () => {
  it("picks the default synchronization template, else scim, else explains", () => {
    assert.equal(chooseSynchronizationTemplate([{ id: "a" }, { id: "b", default: true }]), "b");
    assert.equal(chooseSynchronizationTemplate([{ id: "a" }, { id: "scim" }]), "scim");
    assert.throws(
      () => chooseSynchronizationTemplate([{ id: "a" }]),
      /does not support automatic provisioning/,
    );
  });

  it("reads quarantine with reason and troubleshooting URL", () => {
    const outcome = firstCycleOutcome({
      status: {
        code: "Quarantine",
        quarantine: { reason: "TooManyDeletes", error: { message: "deletes above threshold" } },
        troubleshootingUrl: "https://aka.ms/x",
      },
    });
    assert.deepEqual(outcome, {
      kind: "quarantined",
      message:
        "Provisioning is in quarantine (reason TooManyDeletes: deletes above threshold). Troubleshooting: https://aka.ms/x",
    });
    assert.equal(firstCycleOutcome({ status: { code: "Active" } }).kind, "pending");
  });

  it("parses provision-on-demand JSON strings", () => {
    assert.deepEqual(onDemandResult({ value: JSON.stringify({ result: "Skipped" }) }), {
      result: "Skipped",
      detail: "",
    });
    assert.equal(onDemandResult({ value: "not json" }).result, "Unknown");
  });

  it("chooses the national cloud's non-gallery template and tags per stack", () => {
    assert.equal(
      nonGalleryTemplateFor("https://graph.microsoft.us/"),
      "4602d0b4-76bb-404b-bca9-2652e1a39c6d",
    );
    assert.equal(nonGalleryTemplateFor("https://127.0.0.1:1234"), "8adf8e6e-67b2-4cf2-a259-e3dc5476c621");
    assert.equal(ownershipTag("scimkit", "contoso", "entra"), "scimkit:scimkit/contoso/entra");
  });
});
