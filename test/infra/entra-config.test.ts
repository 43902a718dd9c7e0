/** readEntraConfig: defaults that mirror the portal tutorial, and errors that name the key. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../../infra/config-reader";
import { readEntraConfig } from "../../infra/entra/config";
import { DEFAULT_USER_MAPPINGS } from "../../infra/entra/mapping-types";

function read(values: Record<string, unknown>) {
  const namespaced = Object.fromEntries(
    Object.entries(values).map(([key, value]) => [
      `scimkit:${key}`,
      typeof value === "string" ? value : JSON.stringify(value),
    ]),
  );
  pulumi.runtime.setAllConfig(namespaced, []);
  return readEntraConfig(new pulumi.Config("scimkit"));
}

function problems(values: Record<string, unknown>): string {
  try {
    read(values);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.message;
  }
  assert.fail("expected a ConfigError");
}

describe("readEntraConfig", () => {
  it("defaults to the global non-gallery app, the seed app's five mappings, assigned scope and On", () => {
    const config = read({});
    assert.equal(config.enabled, true);
    assert.equal(config.applicationTemplateId, "8adf8e6e-67b2-4cf2-a259-e3dc5476c621");
    assert.equal(config.graphEndpoint, "https://graph.microsoft.com");
    assert.deepEqual(config.schema.userMappings, DEFAULT_USER_MAPPINGS);
    assert.equal(config.syncAll, false);
    assert.equal(config.provisioningOn, true);
    assert.equal(config.deleteThresholdValue, 500);
    assert.equal(config.waitForFirstCycle, "off");
    assert.equal(config.permanentlyDeleteOnDestroy, false);
  });

  it("chooses the US Government cloud's endpoint and template", () => {
    const config = read({ entraCloud: "usgov" });
    assert.equal(config.graphEndpoint, "https://graph.microsoft.us");
    assert.equal(config.applicationTemplateId, "4602d0b4-76bb-404b-bca9-2652e1a39c6d");
  });

  it("reads roles, assignments, mappings and filters from JSON lists", () => {
    const config = read({
      entraAppRoles: [{ value: "Admin", displayName: "Administrator" }],
      entraAssignments: [{ user: "alice@contoso.com" }, { group: "Sales", role: "Admin" }],
      entraUserMappings: [
        { target: "userName", source: "userPrincipalName", matchingPrecedence: 1 },
        { target: "title", constant: "Staff", apply: "onCreate" },
      ],
      entraUserScopingFilters: [
        { clauses: [{ attribute: "department", operator: "equals", values: ["Sales"] }] },
      ],
      entraScope: "all",
      entraOwners: ["owner@contoso.com"],
      entraProvisionOnDemandUsers: ["alice@contoso.com"],
    });
    assert.equal(config.appRoles[0].value, "Admin");
    assert.deepEqual(config.assignments[1], { group: "Sales", role: "Admin" });
    assert.deepEqual(config.schema.userMappings[1], {
      target: "title",
      constant: "Staff",
      apply: "onCreate",
    });
    assert.equal(config.schema.userScopingFilters[0].clauses[0].operator, "equals");
    assert.equal(config.syncAll, true);
    assert.deepEqual(config.owners, ["owner@contoso.com"]);
    assert.deepEqual(config.provisionOnDemandUsers, ["alice@contoso.com"]);
  });

  it("names every bad key, with the index inside lists", () => {
    const message = problems({
      entraCloud: "mars",
      entraNotificationEmail: "not-an-email",
      entraDeleteThreshold: "0",
      entraUserMappings: [{ target: "userName", source: "a", constant: "b" }, { source: "mail" }],
      entraAssignments: [
        { user: "a@b.c", group: "x" },
        { user: "a@b.c", role: "Owner" },
      ],
      entraGalleryTemplateId: "abc",
      entraProvisioning: "maybe",
    });
    for (const expected of [
      /scimkit:entraCloud must be one of global, usgov, china \(got "mars"\)/,
      /scimkit:entraNotificationEmail must be an email address/,
      /scimkit:entraDeleteThreshold must be between 1 and 1000000 \(got 0\)/,
      /scimkit:entraUserMappings\[0\] needs exactly one of source \(direct\), constant or expression \(got source, constant\)/,
      /scimkit:entraUserMappings\[1\]\.target is required/,
      /scimkit:entraUserMappings needs one mapping with matchingPrecedence: 1/,
      /scimkit:entraAssignments\[0\] needs exactly one of user/,
      /scimkit:entraAssignments\[1\]\.role "Owner" is not a role of the app/,
      /scimkit:entraGalleryTemplateId must be an application template id/,
      /scimkit:entraProvisioning must be one of on, off/,
    ]) {
      assert.match(message, expected);
    }
  });

  it("rejects invalid JSON and unknown fields by key", () => {
    assert.match(problems({ entraAppRoles: "[{oops" }), /scimkit:entraAppRoles is not valid JSON/);
    assert.match(
      problems({
        entraUserScopingFilters: [{ clauses: [{ attribute: "a", operator: "equals", value: "x" }] }],
      }),
      /scimkit:entraUserScopingFilters\[0\]\.clauses\[0\] has unknown field "value"/,
    );
    assert.match(
      problems({ entraUserScopingFilters: [{ clauses: [] }] }),
      /entraUserScopingFilters\[0\]\.clauses must list/,
    );
  });

  it("refuses an on-demand smoke test while provisioning is off", () => {
    assert.match(
      problems({ entraProvisioning: "off", entraProvisionOnDemandUsers: ["a@b.c"] }),
      /scimkit:entraProvisionOnDemandUsers needs scimkit:entraProvisioning "on"/,
    );
  });
});
