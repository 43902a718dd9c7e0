/**
 * A stand-in `pulumi` executable for tests (no Pulumi CLI can be installed here). It records every
 * invocation (argv, cwd, time) as a JSON line, and answers the calls the operations commands make:
 *   stack ls --json                    → the stacks given at creation
 *   stack --show-name                  → the first stack
 *   stack output --json --stack X      → the outputs given for X (exit 255 with Pulumi's message otherwise)
 *   up|preview … --stack X             → a few lines of progress; exit 1 for stacks listed as failing
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface FakePulumiOptions {
  readonly stacks: readonly string[];
  readonly outputs?: Readonly<Record<string, Record<string, unknown>>>;
  readonly failingStacks?: readonly string[];
  /** Milliseconds each `up` takes. */
  readonly upMilliseconds?: number;
}

export interface FakePulumi {
  /** Directory to put first on PATH. */
  readonly directory: string;
  /** Full path of the executable. */
  readonly executable: string;
  invocations(): { argv: string[]; cwd: string; startedAt: number; endedAt?: number }[];
}

export function createFakePulumi(options: FakePulumiOptions): FakePulumi {
  const directory = mkdtempSync(join(tmpdir(), "fake-pulumi-"));
  const logFile = join(directory, "invocations.jsonl");
  const configFile = join(directory, "config.json");
  writeFileSync(logFile, "");
  writeFileSync(configFile, JSON.stringify(options));
  const executable = join(directory, "pulumi");
  writeFileSync(
    executable,
    `#!/usr/bin/env node
const fs = require("node:fs");
const config = JSON.parse(fs.readFileSync(${JSON.stringify(configFile)}, "utf8"));
const argv = process.argv.slice(2);
const startedAt = Date.now();
const log = (extra) => fs.appendFileSync(${JSON.stringify(logFile)}, JSON.stringify({ argv, cwd: process.cwd(), startedAt, ...extra }) + "\\n");
const stackArg = argv.includes("--stack") ? argv[argv.indexOf("--stack") + 1] : undefined;
if (argv[0] === "stack" && argv[1] === "ls") {
  log({});
  process.stdout.write(JSON.stringify(config.stacks.map((name, i) => ({ name, current: i === 0 }))));
} else if (argv[0] === "stack" && argv[1] === "--show-name") {
  log({});
  process.stdout.write(config.stacks[0] + "\\n");
} else if (argv[0] === "stack" && argv[1] === "output") {
  log({});
  const outputs = (config.outputs || {})[stackArg];
  if (!outputs) {
    process.stderr.write("error: no stack named '" + stackArg + "' found\\n");
    process.exit(255);
  }
  process.stdout.write(JSON.stringify(outputs, null, 4));
} else if (argv[0] === "up" || argv[0] === "preview") {
  process.stdout.write("Updating (" + stackArg + ")\\n");
  setTimeout(() => {
    if ((config.failingStacks || []).includes(stackArg)) {
      process.stderr.write("error: update failed\\n  scimkit:notificationEmail must look like ops@contoso.com\\n");
      log({ endedAt: Date.now() });
      process.exit(1);
    }
    process.stdout.write("Resources:\\n    12 unchanged\\n");
    log({ endedAt: Date.now() });
  }, config.upMilliseconds || 0);
} else {
  log({});
  process.stderr.write("fake pulumi: unsupported " + argv.join(" ") + "\\n");
  process.exit(2);
}
`,
  );
  chmodSync(executable, 0o755);
  return {
    directory,
    executable,
    invocations: () =>
      readFileSync(logFile, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
  };
}
