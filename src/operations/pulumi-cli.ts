/**
 * The few Pulumi CLI calls the operations commands make: list the project's stacks, read a stack's
 * outputs, run `up` on one stack. The executable is `pulumi` on PATH, or `PULUMI_EXECUTABLE` (tests put
 * a fake one there; CI may pin a path). Secrets are never requested (`--show-secrets` is not passed),
 * so nothing secret can reach our output.
 */
import { spawn } from "node:child_process";

export interface PulumiCommandResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface PulumiCliOptions {
  /** @default process.env.PULUMI_EXECUTABLE ?? "pulumi" */
  readonly executable?: string;
  /** The Pulumi project directory. @default process.cwd() */
  readonly cwd?: string;
  /** Receives the live output of long commands (`up`), line-buffered by the caller if it likes. */
  readonly onOutput?: (chunk: string) => void;
}

export class PulumiCliMissingError extends Error {
  constructor(
    readonly executable: string,
    alternative?: string,
  ) {
    super(
      `the Pulumi CLI ("${executable}") is not installed or not on PATH: install it ` +
        `(https://www.pulumi.com/docs/install/) or set PULUMI_EXECUTABLE${alternative ? `, or ${alternative}` : ""}`,
    );
    this.name = "PulumiCliMissingError";
  }
}

export function runPulumi(
  args: readonly string[],
  options: PulumiCliOptions = {},
): Promise<PulumiCommandResult> {
  const executable = options.executable || process.env.PULUMI_EXECUTABLE || "pulumi";
  return new Promise((resolve, reject) => {
    const child = spawn(executable, args, {
      cwd: options.cwd ?? process.cwd(),
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      options.onOutput?.(chunk);
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
      options.onOutput?.(chunk);
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      reject(error.code === "ENOENT" ? new PulumiCliMissingError(executable) : error);
    });
    child.on("close", (code, signal) => resolve({ exitCode: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}

async function runPulumiOrThrow(args: readonly string[], options: PulumiCliOptions): Promise<string> {
  const result = await runPulumi(args, options);
  if (result.exitCode !== 0) {
    const detail = result.stderr.trim() || result.stdout.trim() || `exit code ${result.exitCode}`;
    throw new Error(`pulumi ${args.join(" ")} failed: ${detail}`);
  }
  return result.stdout;
}

/** `pulumi stack ls --json`: the stacks of the project in `cwd`, by name. */
export async function listStacks(options: PulumiCliOptions = {}): Promise<string[]> {
  const stdout = await runPulumiOrThrow(["stack", "ls", "--json"], options);
  const parsed = parseJson(stdout, "pulumi stack ls --json");
  if (!Array.isArray(parsed)) throw new Error("pulumi stack ls --json did not print a JSON array");
  return parsed.map((entry: { name?: unknown }) => String(entry.name));
}

/** `pulumi stack --show-name`: the currently selected stack. */
export async function currentStackName(options: PulumiCliOptions = {}): Promise<string> {
  const name = (await runPulumiOrThrow(["stack", "--show-name"], options)).trim();
  if (!name) throw new Error("no Pulumi stack is selected: run `pulumi stack select <name>` or pass --stack");
  return name;
}

/** `pulumi stack output --json --stack X` (secret outputs come back as "[secret]", never in clear). */
export async function readStackOutputs(
  stack: string,
  options: PulumiCliOptions = {},
): Promise<Record<string, unknown>> {
  const stdout = await runPulumiOrThrow(["stack", "output", "--json", "--stack", stack], options);
  const parsed = parseJson(stdout, `pulumi stack output --json --stack ${stack}`);
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new Error(`pulumi stack output --json --stack ${stack} did not print a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

function parseJson(text: string, command: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${command} printed something that is not JSON: ${text.slice(0, 200)}`);
  }
}
