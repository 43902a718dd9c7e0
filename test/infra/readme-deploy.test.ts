/** The README's "Deploy to Azure" section stays true to the program: keys, defaults and paths it names. */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { SCIM_SERVICE_DEFAULTS } from "../../infra/components/scim-service-defaults";
import { readServiceConfig } from "../../infra/config";
import { ConfigReader } from "../../infra/config-reader";

const root = path.resolve(__dirname, "../..");
const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
const start = readme.indexOf("## Deploy to Azure");
const section = readme.slice(start, readme.indexOf("\n## ", start + 1));
const declared = (
  parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { config: Record<string, unknown> }
).config;

/** Keys the service part of the config reads, in both modes (the Entra keys are documented by that side). */
function keysReadByServiceConfig(): Set<string> {
  const read = new Set<string>();
  const config = (values: Record<string, string>) =>
    ({
      name: "scimkit",
      get: (key: string) => {
        read.add(key);
        return values[key];
      },
      getSecret: (key: string) => (values[key] === undefined ? undefined : pulumi.secret(values[key])),
    }) as unknown as pulumi.Config;
  readServiceConfig(new ConfigReader(config({}), () => true));
  readServiceConfig(
    new ConfigReader(
      config({ deployService: "false", existingTenantUrl: "https://a.example/s", existingSecretToken: "t" }),
      () => true,
    ),
  );
  return read;
}

test("the section exists", () => assert.ok(start >= 0 && section.length > 1000));

test("every scimkit: key it names is declared in Pulumi.yaml", () => {
  const named = [...section.matchAll(/scimkit:([A-Za-z]+)/g)].map((match) => match[1]);
  assert.ok(named.length > 5);
  for (const key of named)
    assert.ok(key in declared, `README names scimkit:${key}, which Pulumi.yaml does not declare`);
});

test("every key the service config reads is documented in the key table", () => {
  for (const key of keysReadByServiceConfig()) {
    assert.match(section, new RegExp(`\`${key}\``), `README's key table must document ${key}`);
  }
});

test("the documented defaults are the program's defaults", () => {
  const rows = new Map(
    [...section.matchAll(/^\| `([^|]+)`\s+\| ([^|]+) \|/gm)].map(
      (match) => [match[1], match[2].trim()] as const,
    ),
  );
  assert.equal(rows.get("location"), `\`${SCIM_SERVICE_DEFAULTS.location}\``);
  assert.equal(
    rows.get("minReplicas` / `maxReplicas"),
    `\`${SCIM_SERVICE_DEFAULTS.minReplicas}\` / \`${SCIM_SERVICE_DEFAULTS.maxReplicas}\``,
  );
  assert.equal(
    rows.get("cpu` / `memory"),
    `\`${SCIM_SERVICE_DEFAULTS.cpu}\` / \`${SCIM_SERVICE_DEFAULTS.memory}\``,
  );
  assert.equal(rows.get("scimBasePath"), `\`${SCIM_SERVICE_DEFAULTS.scimBasePath}\``);
  assert.equal(
    rows.get("keyVaultSoftDeleteRetentionDays"),
    `\`${SCIM_SERVICE_DEFAULTS.keyVaultSoftDeleteRetentionDays}\``,
  );
});

test("the policy pack the README runs exists where it says", () => {
  assert.match(section, /pulumi preview --policy-pack policy/);
  assert.ok(fs.existsSync(path.join(root, "policy", "PulumiPolicy.yaml")));
  const pack = JSON.parse(fs.readFileSync(path.join(root, "policy", "package.json"), "utf8")) as {
    version?: string;
  };
  assert.ok(pack.version, "PolicyPack reads its version from policy/package.json");
});
