import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fillTemplate, parseAssignments, parseQuestions } from "../../src/operations/tenant-template";

const repositoryTemplate = readFileSync(join(__dirname, "..", "..", "tenants", "TEMPLATE.yaml"), "utf8");

const answers = {
  customerTenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
  subscriptionId: "11111111-2222-3333-4444-555555555555",
  notificationEmail: "ops@contoso.com",
};

describe("onboarding template", () => {
  it("asks a question for every placeholder of the repository's template", () => {
    const names = parseQuestions(repositoryTemplate).map((question) => question.name);
    assert.deepEqual(names, [
      "customerTenantId",
      "subscriptionId",
      "location",
      "appDisplayName",
      "notificationEmail",
      "permanentDelete",
      "trial",
      "trialDomain",
      "trialUserCount",
    ]);
    const location = parseQuestions(repositoryTemplate).find((question) => question.name === "location");
    assert.deepEqual(location, {
      name: "location",
      question: "Azure region for the SCIM service",
      defaultValue: "westeurope",
      format: "region",
      optional: false,
    });
  });

  it("fills answers and defaults as quoted YAML strings and drops unanswered optional keys", () => {
    const filled = fillTemplate(repositoryTemplate, answers);
    assert.match(filled, /^ {2}azure-native:tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47"$/m);
    assert.match(filled, /^ {2}scimkit:location: "westeurope"$/m);
    assert.match(filled, /^ {2}scimkit:trial: false$/m);
    assert.doesNotMatch(filled, /^ +scimkit:trialDomain/m);
    assert.doesNotMatch(
      filled,
      /^ +scimkit:entraAppDisplayName/m,
      "an unanswered optional key keeps the program's default",
    );
    assert.match(filled, /^ {2}scimkit:entraPermanentDelete: false$/m);
    assert.doesNotMatch(filled, /^[^#]*<[A-Za-z]+>/m);
  });

  it("lists every missing or malformed answer at once, with the flag that fixes it", () => {
    assert.throws(
      () =>
        fillTemplate(repositoryTemplate, {
          ...answers,
          customerTenantId: "contoso",
          notificationEmail: undefined as never,
          colour: "blue",
        }),
      (error: Error) => {
        assert.match(error.message, /colour is not a question of this template/);
        assert.match(
          error.message,
          /customerTenantId must look like 00000000-0000-0000-0000-000000000000 \(got "contoso"\)/,
        );
        assert.match(
          error.message,
          /notificationEmail is not answered: Who gets an email when provisioning fails \(--set notificationEmail=…\)/,
        );
        return true;
      },
    );
  });

  it("only sets scimkit keys the program reads", () => {
    const programSource = readdirSync(join(__dirname, "..", "..", "infra"), { recursive: true })
      .filter((file) => String(file).endsWith(".ts"))
      .map((file) => readFileSync(join(__dirname, "..", "..", "infra", String(file)), "utf8"))
      .join("\n");
    const keys = [...repositoryTemplate.matchAll(/^ {2}scimkit:(\w+):/gm)].map((match) => match[1]);
    assert.ok(keys.length >= 6);
    for (const key of keys) assert.ok(programSource.includes(`"${key}"`), `infra/ reads scimkit:${key}`);
  });

  it("rejects a template whose placeholder has no question", () => {
    assert.throws(
      () => parseQuestions("config:\n  a: <mystery>\n"),
      /uses <mystery> without a "# \? name: question" line/,
    );
  });

  it("keeps quotes and backslashes in answers intact (no YAML injection)", () => {
    const filled = fillTemplate("# ? note: A note\nx: <note>\n", { note: 'a "b" \\ c: d' });
    assert.equal(filled, '# ? note: A note\nx: "a \\"b\\" \\\\ c: d"\n');
    assert.equal(JSON.parse(filled.split("x: ")[1]), 'a "b" \\ c: d');
  });

  it("parses --set name=value pairs and rejects ones without a name", () => {
    assert.deepEqual(parseAssignments(["a=1", "b = x=y"]), { a: "1", b: "x=y" });
    assert.throws(() => parseAssignments(["=1"]), /--set expects name=value \(got "=1"\)/);
  });
});
