/**
 * `pulumi up` across many stacks (one per customer tenant), a few at a time, each stack's output kept
 * apart and prefixed with its name, and a summary at the end. A failed stack does not stop the others
 * unless `stopOnFailure` is set: one broken tenant must not hold back a fleet-wide fix.
 */
import { runPulumi } from "./pulumi-cli";

export interface RolloutOptions {
  readonly stacks: readonly string[];
  /** How many stacks run at once. @default 1 */
  readonly parallel?: number;
  readonly stopOnFailure?: boolean;
  /** `pulumi up --refresh`: reconcile portal drift first. */
  readonly refresh?: boolean;
  /** `pulumi preview` instead of `up` (what a pull request pipeline runs). */
  readonly previewOnly?: boolean;
  readonly cwd?: string;
  readonly executable?: string;
  /** Each complete line of each stack's output, already prefixed with `[stack] `. */
  readonly onLine?: (line: string) => void;
}

export interface StackRolloutResult {
  readonly stack: string;
  readonly outcome: "succeeded" | "failed" | "skipped";
  readonly exitCode?: number;
  readonly seconds?: number;
  /** The last lines of output of a failed stack: usually Pulumi's error. */
  readonly tail?: readonly string[];
}

export function pulumiArguments(
  stack: string,
  options: Pick<RolloutOptions, "refresh" | "previewOnly">,
): string[] {
  const args = options.previewOnly ? ["preview"] : ["up", "--yes", "--skip-preview"];
  args.push("--stack", stack, "--non-interactive");
  if (options.refresh) args.push("--refresh");
  return args;
}

export async function rolloutStacks(options: RolloutOptions): Promise<StackRolloutResult[]> {
  const parallel = options.parallel ?? 1;
  if (!Number.isInteger(parallel) || parallel < 1 || parallel > 16) {
    throw new Error(`--parallel must be a whole number from 1 to 16 (got ${parallel})`);
  }
  const duplicates = options.stacks.filter((stack, index) => options.stacks.indexOf(stack) !== index);
  if (duplicates.length > 0) throw new Error(`stack ${duplicates[0]} is listed twice`);
  const results = new Map<string, StackRolloutResult>();
  const queue = [...options.stacks];
  let stopped = false;

  async function worker(): Promise<void> {
    for (let stack = queue.shift(); stack !== undefined; stack = queue.shift()) {
      if (stopped) {
        results.set(stack, { stack, outcome: "skipped" });
        continue;
      }
      const result = await runOne(stack, options);
      results.set(stack, result);
      if (result.outcome === "failed" && options.stopOnFailure) stopped = true;
    }
  }
  await Promise.all(Array.from({ length: Math.min(parallel, queue.length) }, worker));
  return options.stacks.map((stack) => results.get(stack)!);
}

async function runOne(stack: string, options: RolloutOptions): Promise<StackRolloutResult> {
  const started = Date.now();
  const lines = new LineSplitter((line) => options.onLine?.(`[${stack}] ${line}`));
  const result = await runPulumi(pulumiArguments(stack, options), {
    cwd: options.cwd,
    executable: options.executable,
    onOutput: (chunk) => lines.push(chunk),
  });
  lines.flush();
  const seconds = Math.round((Date.now() - started) / 1000);
  if (result.exitCode === 0) return { stack, outcome: "succeeded", exitCode: 0, seconds };
  const tail = `${result.stdout}${result.stderr}`.trimEnd().split("\n").slice(-5);
  return { stack, outcome: "failed", exitCode: result.exitCode, seconds, tail };
}

class LineSplitter {
  private buffer = "";
  constructor(private readonly emit: (line: string) => void) {}
  push(chunk: string): void {
    this.buffer += chunk;
    const lines = this.buffer.split("\n");
    this.buffer = lines.pop() ?? "";
    for (const line of lines) this.emit(line);
  }
  flush(): void {
    if (this.buffer) this.emit(this.buffer);
    this.buffer = "";
  }
}

export function renderRolloutSummary(results: readonly StackRolloutResult[]): string {
  let text = "\nSummary\n";
  for (const result of results) {
    const seconds = result.seconds !== undefined ? ` in ${result.seconds} s` : "";
    const code = result.outcome === "failed" ? ` (exit ${result.exitCode})` : "";
    text += `  ${result.stack.padEnd(24)}${result.outcome}${code}${seconds}\n`;
    for (const line of result.tail ?? []) text += `  ${" ".repeat(24)}│ ${line}\n`;
  }
  const failed = results.filter((result) => result.outcome === "failed").length;
  const skipped = results.filter((result) => result.outcome === "skipped").length;
  text += `${results.length - failed - skipped} succeeded, ${failed} failed, ${skipped} skipped\n`;
  return text;
}
