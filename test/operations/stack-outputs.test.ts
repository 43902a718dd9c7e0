import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { jobLocationFromOutputs, teardownTargetFromOutputs } from "../../src/operations/stack-outputs";

describe("stack outputs", () => {
  it("reads the Entra side from the program's entraProvisioning object", () => {
    const outputs = {
      entraProvisioning: {
        appId: "app-id",
        servicePrincipalId: "sp-1",
        jobId: "scim.1.2",
        applicationObjectId: "app-object-1",
        applicationDisplayName: "scimkit-contoso",
        purgeDeletedItems: true,
      },
      resourceGroupName: "rg-scimkit-contoso",
      subscriptionId: "sub-1",
      trial: {
        users: [
          { id: "u1", userPrincipalName: "scimkit-trial-contoso-1@contoso.example", provisioning: "Success" },
        ],
        group: { id: "g1", displayName: "scimkit-trial-contoso" },
        purgeOnDestroy: false,
      },
    };
    assert.deepEqual(jobLocationFromOutputs("contoso", outputs), {
      servicePrincipalId: "sp-1",
      jobId: "scim.1.2",
    });
    assert.deepEqual(teardownTargetFromOutputs("contoso", outputs), {
      stack: "contoso",
      applicationObjectId: "app-object-1",
      applicationDisplayName: "scimkit-contoso",
      servicePrincipalId: "sp-1",
      purgeRequested: true,
      trialUsers: [{ id: "u1", userPrincipalName: "scimkit-trial-contoso-1@contoso.example" }],
      trialGroups: [{ id: "g1", displayName: "scimkit-trial-contoso" }],
      resourceGroup: { subscriptionId: "sub-1", name: "rg-scimkit-contoso" },
    });
  });

  it("accepts flat names, and says which output is missing and what to run", () => {
    assert.deepEqual(jobLocationFromOutputs("a", { servicePrincipalId: "sp", provisioningJobId: "job" }), {
      servicePrincipalId: "sp",
      jobId: "job",
    });
    assert.throws(
      () => jobLocationFromOutputs("fabrikam", { entraProvisioning: { servicePrincipalId: "sp" } }),
      /stack fabrikam has no provisioningJobId output: run `pulumi up --stack fabrikam` first \(or pass --service-principal-id and --job-id\)/,
    );
  });

  it("leaves out the resource group when the endpoint was brought (no Azure resources)", () => {
    const target = teardownTargetFromOutputs("x", {
      entraProvisioning: { servicePrincipalId: "sp", jobId: "j" },
    });
    assert.equal(target.resourceGroup, undefined);
    assert.equal(target.purgeRequested, false);
    assert.deepEqual(target.trialUsers, []);
  });
});
