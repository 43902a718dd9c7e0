/**
 * The service's container image ships dist/src only (see Dockerfile), and src/cli/main.ts registers
 * status, teardown-check and tenant at start: loading them must not load anything from infra/ (Graph
 * access is imported when a command runs), or `scimkit serve` would not start in the image.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { it } from "node:test";

it("status, teardown-check and tenant load without infra/", () => {
  const repositoryRoot = join(__dirname, "..", "..");
  const loaded = execFileSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "-e",
      "for (const m of ['status', 'teardown-check', 'tenant', 'lazy-graph-client']) require('./src/cli/' + m + '.ts');" +
        "process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((k) => k.includes('/infra/'))));",
    ],
    { cwd: repositoryRoot, encoding: "utf8" },
  );
  assert.deepEqual(JSON.parse(loaded), []);
});
