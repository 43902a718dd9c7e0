import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { DEVELOPMENT_TOKEN_FILE, ensureDevelopmentToken } from "../../src/config/development-token";
import { loadServiceConfig } from "../../src/config/index";

const temporaryDirectories: string[] = [];
after(() => {
  for (const directory of temporaryDirectories) fs.rmSync(directory, { recursive: true, force: true });
});

function temporaryDirectory(): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "scimkit-config-"));
  temporaryDirectories.push(directory);
  return directory;
}

describe("development token", () => {
  test("is generated on first start with mode 0600 and reused afterwards", () => {
    const dataDirectory = path.join(temporaryDirectory(), "data");
    const first = ensureDevelopmentToken(dataDirectory);
    assert.equal(first.generated, true);
    assert.ok(first.token.length >= 43);
    assert.equal(fs.statSync(first.file).mode & 0o777, 0o600);
    const second = ensureDevelopmentToken(dataDirectory);
    assert.equal(second.generated, false);
    assert.equal(second.token, first.token);
  });

  test("loosened permissions are tightened back to 0600", () => {
    const dataDirectory = temporaryDirectory();
    const { file } = ensureDevelopmentToken(dataDirectory);
    fs.chmodSync(file, 0o644);
    ensureDevelopmentToken(dataDirectory);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  });

  test("a damaged token file is reported with how to fix it", () => {
    const dataDirectory = temporaryDirectory();
    fs.writeFileSync(path.join(dataDirectory, DEVELOPMENT_TOKEN_FILE), "short\n", { mode: 0o600 });
    assert.throws(() => ensureDevelopmentToken(dataDirectory), /too short.*Delete .*scim-token/);
  });

  test("loadServiceConfig uses it only in development without SCIM_TOKENS", () => {
    const cwd = temporaryDirectory();
    const development = loadServiceConfig({}, cwd);
    assert.ok(development.developmentToken);
    assert.deepEqual(development.config.tokens, [development.developmentToken.token]);
    assert.ok(fs.existsSync(path.join(cwd, "data", DEVELOPMENT_TOKEN_FILE)));

    const other = temporaryDirectory();
    const configured = loadServiceConfig({ SCIM_TOKENS: "Zq3xR7pL0vWk9sYt2NbHc5MdJf8GuEa1" }, other);
    assert.equal(configured.developmentToken, undefined);
    assert.ok(!fs.existsSync(path.join(other, "data")), "no token file when tokens are configured");
  });
});
