/**
 * The README's configuration reference and the code that reads the environment must list the same
 * variables, and the token-generation commands the README and the error messages suggest must produce
 * tokens the service accepts.
 */
import assert from "node:assert/strict";
import { execSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { assertStrongBearerToken, HOW_TO_MAKE_A_TOKEN } from "../../src/config/bearer-token-rules";

const repository = path.resolve(__dirname, "..", "..");
const readme = fs.readFileSync(path.join(repository, "README.md"), "utf8");
/** The "## Configuration reference" section only: other sections have tables of their own. */
const configurationReference =
  readme.split(/^## /m).find((section) => section.startsWith("Configuration reference")) ?? "";
const configSource = fs.readFileSync(path.join(repository, "src", "config", "service-config.ts"), "utf8");

describe("README configuration reference", () => {
  test("lists exactly the variables the service reads", () => {
    const read = new Set(
      [...configSource.matchAll(/env(?:\.|, ")([A-Z][A-Z0-9_]+)/g)].map((match) => match[1]!),
    );
    const documented = new Set(
      [...configurationReference.matchAll(/^\|\s*`([A-Z][A-Z0-9_]+)`\s*\|/gm)].map((match) => match[1]!),
    );
    assert.ok(read.size >= 15, `found only ${[...read].join(", ")} in service-config.ts`);
    assert.deepEqual([...documented].sort(), [...read].sort());
  });

  test("the token commands suggested by the README and by config errors make tokens the service accepts", () => {
    const opensslCommand = "openssl rand -base64 48";
    assert.ok(readme.includes(opensslCommand));
    assertStrongBearerToken(execSync(opensslCommand, { encoding: "utf8" }).trim(), "openssl token");
    const nodeCommand = /`(node -e .+?)`/.exec(HOW_TO_MAKE_A_TOKEN)?.[1];
    assert.ok(nodeCommand, HOW_TO_MAKE_A_TOKEN);
    assertStrongBearerToken(execSync(nodeCommand, { encoding: "utf8" }).trim(), "node token");
  });
});
