/**
 * The TrialProvisioning component under `pulumi.runtime.setMocks`: what it hands the engine (the
 * dynamic resource's inputs, the token kept secret) and how its config is validated.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";

const SECRET_SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
const registered: { type: string; name: string; inputs: Record<string, unknown> }[] = [];

pulumi.runtime.setMocks(
  {
    newResource(args) {
      registered.push({ type: args.type, name: args.name, inputs: args.inputs });
      const report = {
        users: [],
        group: { id: "g", displayName: "x", assignmentId: "a", provisioning: "Success" },
      };
      return { id: `${args.name}-id`, state: { ...args.inputs, report } };
    },
    call: (args) => args.inputs,
  },
  "scimkit",
  "contoso-trial",
  false,
);

process.on("unhandledRejection", (reason) => {
  throw reason;
});

describe("TrialProvisioning component", () => {
  it("registers one TrialUsers dynamic resource with the token secret and Entra's URL flag removed", async () => {
    const { TrialProvisioning } = await import("../../infra/trial/trial-provisioning");
    const trial = new TrialProvisioning("trial", {
      domain: "contoso.onmicrosoft.com",
      userCount: 2,
      servicePrincipalId: "sp-1",
      jobId: "scim.1.2",
      scimBaseUrl: "https://scim.contoso.example/scim/v2?aadOptscim062020",
      scimToken: "super-secret-token",
      purgeOnDestroy: true,
    });
    await new Promise((resolve) => trial.report.apply(resolve));
    assert.deepEqual(
      registered.map((resource) => resource.type),
      ["scimkit:trial:TrialProvisioning", "pulumi-nodejs:dynamic/scimkit:TrialUsers"],
    );
    const inputs = registered[1].inputs as Record<string, unknown>;
    assert.equal(registered[1].name, "trial-users");
    assert.equal(inputs.stack, "contoso-trial");
    assert.equal(inputs.scimBaseUrl, "https://scim.contoso.example/scim/v2");
    assert.equal(inputs.userCount, 2);
    assert.equal(inputs.purgeOnDestroy, true);
    assert.equal(typeof inputs.__provider, "string", "the serialized provider travels with the resource");
    const token = inputs.scimToken as Record<string, unknown>;
    assert.equal(token[SECRET_SIGNATURE_KEY] !== undefined, true, "the SCIM token is a secret input");
    assert.equal(
      String(inputs.__provider).includes("super-secret-token"),
      false,
      "never captured in the provider",
    );
  });
});

describe("trial config", () => {
  const config = (values: Record<string, string>) =>
    ({ name: "scimkit", get: (key: string) => values[key] }) as unknown as pulumi.Config;

  it("is off by default and needs a domain when on", async () => {
    const { readTrialConfig } = await import("../../infra/trial/trial-config");
    assert.deepEqual(readTrialConfig(config({})), { enabled: false, domain: "", userCount: 3 });
    assert.throws(
      () => readTrialConfig(config({ trial: "true" })),
      /scimkit:trialDomain is required when scimkit:trial is true: .*pulumi config set scimkit:trialDomain contoso\.onmicrosoft\.com/,
    );
    assert.throws(
      () => readTrialConfig(config({ trial: "true", trialDomain: "contoso", trialUserCount: "50" })),
      (error: Error) =>
        /scimkit:trialDomain must be a domain name like contoso\.onmicrosoft\.com \(got "contoso"\)/.test(
          error.message,
        ) && /scimkit:trialUserCount must be between 1 and 20 \(got 50\)/.test(error.message),
    );
    assert.throws(
      () =>
        readTrialConfig(
          config({ trial: "true", trialDomain: "contoso.onmicrosoft.com", entraEnabled: "false" }),
        ),
      /scimkit:trial needs the Entra side, but scimkit:entraEnabled is false/,
    );
    assert.deepEqual(
      readTrialConfig(config({ trial: "true", trialDomain: "contoso.onmicrosoft.com", trialUserCount: "5" })),
      {
        enabled: true,
        domain: "contoso.onmicrosoft.com",
        userCount: 5,
      },
    );
  });
});
