import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";

const workflowPath = join(__dirname, "..", "..", ".github", "workflows", "deploy-tenants.yml");
const workflowText = readFileSync(workflowPath, "utf8");

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
const workflow = parse(workflowText) as {
  permissions: Record<string, string>;
  jobs: Record<
    string,
    {
      steps: Step[];
      env?: Record<string, string>;
      environment?: string;
      strategy?: { matrix: Record<string, string> };
    }
  >;
};

describe("the deploy-tenants GitHub Actions workflow", () => {
  it("uses workload identity federation and no stored secret", () => {
    assert.equal(workflow.permissions["id-token"], "write");
    assert.doesNotMatch(workflowText, /secrets\./, "no repository or environment secret is referenced");
    const deploy = workflow.jobs.deploy;
    const azureLogin = deploy.steps.find((step) => step.uses?.startsWith("azure/login@"));
    assert.ok(azureLogin, "azure/login is used");
    assert.deepEqual(Object.keys(azureLogin.with ?? {}).sort(), [
      "client-id",
      "subscription-id",
      "tenant-id",
    ]);
    const pulumiLogin = deploy.steps.find((step) => step.uses?.startsWith("pulumi/auth-actions@"));
    assert.equal(
      pulumiLogin?.with?.["requested-token-type"],
      "urn:pulumi:token-type:access_token:organization",
    );
    assert.equal(deploy.env?.ARM_USE_OIDC, "true");
  });

  it("deploys each stack in its own environment with pulumi/actions", () => {
    const deploy = workflow.jobs.deploy;
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JS template
    assert.equal(deploy.environment, "${{ matrix.stack }}");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JS template
    assert.equal(deploy.strategy?.matrix.stack, "${{ fromJSON(needs.stacks.outputs.stacks) }}");
    const pulumi = deploy.steps.find((step) => step.uses?.startsWith("pulumi/actions@"));
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JS template
    assert.equal(pulumi?.with?.["stack-name"], "${{ vars.PULUMI_ORG }}/scimkit/${{ matrix.stack }}");
    assert.match(String(pulumi?.with?.command), /'up'/);
  });

  it("lists one stack per Pulumi.<stack>.yaml except the dev example, or the requested ones", () => {
    const listStep = workflow.jobs.stacks.steps.find((step) => step.id === "list");
    const script = /node -e '([\s\S]*)'/.exec(listStep?.run ?? "")?.[1];
    assert.ok(script, "the list step runs a node script");
    const project = mkdtempSync(join(tmpdir(), "workflow-stacks-"));
    for (const file of [
      "Pulumi.yaml",
      "Pulumi.dev.yaml",
      "Pulumi.fabrikam.yaml",
      "Pulumi.contoso-prod.yaml",
    ]) {
      writeFileSync(join(project, file), "");
    }
    const run = (requested: string) => {
      const output = join(project, `output-${requested.length}`);
      writeFileSync(output, "");
      execFileSync(process.execPath, ["-e", script], {
        cwd: project,
        env: { GITHUB_OUTPUT: output, REQUESTED: requested },
      });
      return readFileSync(output, "utf8");
    };
    assert.equal(run(""), 'stacks=["contoso-prod","fabrikam"]\n');
    assert.equal(run(" fabrikam  "), 'stacks=["fabrikam"]\n');
  });
});
