/** The README's "Entra provisioning" section stays true to the program: keys, defaults and examples. */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { readEntraConfig } from "../../infra/entra/config";

const root = path.resolve(__dirname, "../..");
const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
const start = readme.indexOf("## Entra provisioning");
const section = readme.slice(start, readme.indexOf("\n## ", start + 1));
const declared = (
  parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as {
    config: Record<string, { default?: unknown }>;
  }
).config;
const entraKeys = Object.keys(declared).filter((key) => key.startsWith("entra"));

function readConfig(values: Record<string, string>) {
  pulumi.runtime.setAllConfig(
    Object.fromEntries(Object.entries(values).map(([key, value]) => [`scimkit:${key}`, value])),
    [],
  );
  return readEntraConfig(new pulumi.Config("scimkit"));
}

test("the section exists and maps the tutorial's steps", () => {
  assert.ok(start >= 0 && section.length > 2000);
  for (const step of [
    "Test Connection",
    "Notification Email",
    "Scoping filters",
    "Provisioning Status On / Off",
    "Scope",
  ]) {
    assert.ok(section.includes(step), `mentions ${step}`);
  }
});

test("every Entra key it names is declared in Pulumi.yaml", () => {
  const named = new Set([...section.matchAll(/\b(entra[A-Z][A-Za-z0-9]+)\b/g)].map((match) => match[1]));
  assert.ok(named.size > 15);
  for (const key of named)
    assert.ok(key in declared, `README names ${key}, which Pulumi.yaml does not declare`);
});

test("every declared Entra key is in the key table with the declared default", () => {
  // Cells may be padded (biome formats Markdown tables).
  const rows = new Map(
    [...section.matchAll(/^\|\s*`(entra[A-Za-z0-9]+)`\s*\|\s*([^|]+?)\s*\|/gm)].map((m) => [
      m[1],
      m[2].trim(),
    ]),
  );
  for (const key of entraKeys) {
    assert.ok(rows.has(key), `key table must list ${key}`);
    const declaredDefault = declared[key].default;
    const shown = rows.get(key)!;
    if (declaredDefault === "" || (Array.isArray(declaredDefault) && declaredDefault.length === 0)) {
      assert.match(shown, /^\(.+\)$/, `${key} shows its implicit default in parentheses`);
    } else {
      assert.equal(shown, `\`${String(declaredDefault)}\``, `default of ${key}`);
    }
  }
});

test("the example commands are valid config that does what the text says", () => {
  const commands = [...section.matchAll(/^pulumi config set scimkit:(\w+) (.+)$/gm)];
  assert.ok(commands.length >= 4);
  const values = Object.fromEntries(
    commands.map(([, key, raw]) => [key, raw.replace(/^'(.*)'$/, "$1").replace(/^"(.*)"$/, "$1")]),
  );
  const config = readConfig(values);
  assert.equal(config.displayName, "Cleanmail Swiss");
  assert.deepEqual(config.assignments, [{ user: "alice@contoso.com" }, { group: "Sales" }]);
  assert.equal(config.schema.userScopingFilters[0].clauses[0].attribute, "department");
  assert.equal(config.waitForFirstCycle, "fail");
});

test("the mapping example in the text is valid entraUserMappings", () => {
  const example = /for example\s+`(\[\{"target".+?\}\])`/s.exec(section)?.[1];
  assert.ok(example, "mapping example present");
  const config = readConfig({ entraUserMappings: example });
  assert.equal(config.schema.userMappings.length, 3);
  assert.equal(config.schema.userMappings[2].expression, 'Join(" ", [givenName], [surname])');
});
