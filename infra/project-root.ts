import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The directory holding Pulumi.yaml (and the Dockerfile beside it), found by walking up from
 * `startDirectory`, so it works whether the program runs from infra/ (TypeScript) or dist/infra/.
 * Returns `startDirectory` when no Pulumi.yaml is found.
 */
export function findProjectRoot(startDirectory: string): string {
  let directory = startDirectory;
  while (!fs.existsSync(path.join(directory, "Pulumi.yaml"))) {
    const parent = path.dirname(directory);
    if (parent === directory) return startDirectory;
    directory = parent;
  }
  return directory;
}
