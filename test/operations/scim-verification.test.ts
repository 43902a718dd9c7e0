import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AttributeMapping } from "../../infra/trial/on-demand";
import { expectedScimAttributes, verifyInScim } from "../../infra/trial/scim-verification";
import { planTrial } from "../../infra/trial/trial-plan";
import { nonGallerySchema } from "../support/graph-simulator/template-schema";

const user = planTrial("contoso", "contoso.example", 1).users[0];
const constant = (value: string) => ({ type: "Constant", name: value, parameters: [] });

/** The non-gallery template's user mappings (as the simulator's new jobs hold them), plus a constant. */
function templateUserMappings(): AttributeMapping[] {
  const schema = nonGallerySchema("scim.test") as {
    synchronizationRules: {
      objectMappings: { sourceObjectName: string; attributeMappings: AttributeMapping[] }[];
    }[];
  };
  const users = schema.synchronizationRules[0].objectMappings.find(
    (mapping) => mapping.sourceObjectName === "User",
  );
  return [
    ...(users?.attributeMappings ?? []),
    {
      targetAttributeName: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:organization",
      source: constant("Contoso"),
    },
  ];
}
const TEMPLATE_LIKE = templateUserMappings();

describe("what trial mode expects in the SCIM service", () => {
  it("follows the job's mappings: direct attributes, constants, Switch and Join, skipping the unpredictable", () => {
    assert.ok(TEMPLATE_LIKE.length > 15, "the template maps many attributes trial users do not have");
    assert.deepEqual(expectedScimAttributes(user, TEMPLATE_LIKE), {
      userName: "scimkit-trial-contoso-1@contoso.example",
      active: true,
      displayName: "scimkit trial contoso 1",
      "name.givenName": "Trial",
      "name.familyName": "User 1",
      "name.formatted": "Trial User 1",
      externalId: "scimkit-trial-contoso-1",
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:organization": "Contoso",
    });
  });

  it("falls back to the seed app's five mappings when the schema shows none", () => {
    assert.deepEqual(Object.keys(expectedScimAttributes(user)), [
      "userName",
      "active",
      "name.givenName",
      "name.familyName",
      "externalId",
    ]);
  });

  it("lists each differing attribute, reading extension attributes by their URN", async () => {
    const resource = {
      id: "scim-1",
      userName: "SCIMKIT-TRIAL-CONTOSO-1@contoso.example",
      active: true,
      displayName: "scimkit trial contoso 1",
      name: { givenName: "Trial", familyName: "Someone else", formatted: "Trial User 1" },
      externalId: "scimkit-trial-contoso-1",
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { organization: "Fabrikam" },
    };
    const requested: string[] = [];
    const fakeFetch = (async (url: string) => {
      requested.push(url);
      return new Response(JSON.stringify({ Resources: [resource] }), { status: 200 });
    }) as unknown as typeof fetch;
    const check = await verifyInScim(
      { baseUrl: "https://scim.example/scim/v2/", token: "t" },
      user,
      TEMPLATE_LIKE,
      fakeFetch,
    );
    assert.deepEqual(requested, [
      `https://scim.example/scim/v2/Users?filter=${encodeURIComponent('userName eq "scimkit-trial-contoso-1@contoso.example"')}`,
    ]);
    assert.deepEqual(check, {
      userPrincipalName: "scimkit-trial-contoso-1@contoso.example",
      found: true,
      scimId: "scim-1",
      mismatches: [
        'name.familyName: expected "User 1", got "Someone else"',
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:organization: expected "Contoso", got "Fabrikam"',
      ],
    });
  });

  it("says what to check when the service refuses, without the token", async () => {
    const fakeFetch = (async () => new Response("{}", { status: 401 })) as unknown as typeof fetch;
    await assert.rejects(
      verifyInScim({ baseUrl: "https://scim.example/scim/v2", token: "the-secret" }, user, [], fakeFetch),
      (error: Error) =>
        /answered 401: is the service up and the token right\?/.test(error.message) &&
        !error.message.includes("the-secret"),
    );
  });
});
