/**
 * `scimkit tenant`: onboarding and fleet commands for one-stack-per-customer-tenant operation.
 *   tenant init <stack>   answer the template's questions, write Pulumi.<stack>.yaml
 *   tenant up [stacks…]   `pulumi up` across many stacks (or --all), with a summary; exit 1 if any failed
 */
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { createInterface } from "node:readline/promises";
import type { Command } from "commander";
import { listStacks } from "../operations/pulumi-cli";
import { renderRolloutSummary, rolloutStacks } from "../operations/stack-rollout";
import { checkAnswer, fillTemplate, parseAssignments, parseQuestions } from "../operations/tenant-template";

const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

export interface TenantInitOptions {
  readonly set?: readonly string[];
  readonly answers?: string;
  readonly template?: string;
  readonly cwd?: string;
  readonly force?: boolean;
  /** Ask for unanswered questions on the terminal. @default process.stdin.isTTY */
  readonly interactive?: boolean;
}

/** Writes Pulumi.<stack>.yaml and returns its path. */
export async function runTenantInit(
  stack: string,
  options: TenantInitOptions,
  write: (text: string) => void,
): Promise<string> {
  if (!STACK_NAME.test(stack)) {
    throw new Error(
      `stack name "${stack}" may only contain letters, digits, "-", "_" and "." (e.g. contoso-prod)`,
    );
  }
  const cwd = resolve(options.cwd ?? process.cwd());
  const templatePath = options.template ? resolve(options.template) : defaultTemplatePath(cwd);
  const template = await readFile(templatePath, "utf8");
  const answers: Record<string, string> = {
    ...(options.answers ? await readAnswersFile(options.answers) : {}),
    ...parseAssignments(options.set ?? []),
  };
  if (options.interactive ?? process.stdin.isTTY) await askMissing(template, answers, write);
  const target = join(cwd, `Pulumi.${stack}.yaml`);
  if (existsSync(target) && !options.force) {
    throw new Error(
      `${target} already exists: edit it with \`pulumi config set --stack ${stack}\`, or pass --force`,
    );
  }
  const filled = fillTemplate(template, answers);
  await writeFile(
    target,
    `# Written by \`scimkit tenant init ${stack}\` from ${relative(cwd, templatePath)}\n${filled}`,
    "utf8",
  );
  write(`wrote ${relative(process.cwd(), target) || target}\n`);
  write(nextSteps(stack));
  return target;
}

function defaultTemplatePath(cwd: string): string {
  const inProject = join(cwd, "tenants", "TEMPLATE.yaml");
  return existsSync(inProject) ? inProject : join(__dirname, "..", "..", "tenants", "TEMPLATE.yaml");
}

async function readAnswersFile(path: string): Promise<Record<string, string>> {
  const parsed = JSON.parse(await readFile(path, "utf8")) as unknown;
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new Error(`--answers ${path} must be a JSON object of question name → answer`);
  }
  return Object.fromEntries(Object.entries(parsed).map(([name, value]) => [name, String(value)]));
}

async function askMissing(template: string, answers: Record<string, string>, write: (text: string) => void) {
  const terminal = createInterface({ input: process.stdin, output: process.stdout });
  try {
    for (const question of parseQuestions(template)) {
      if (answers[question.name] !== undefined) continue;
      for (;;) {
        const suffix = question.defaultValue
          ? ` [${question.defaultValue}]`
          : question.optional
            ? " [skip]"
            : "";
        const reply = (await terminal.question(`${question.question}${suffix}: `)).trim();
        const value = reply || question.defaultValue || "";
        if (value === "" && question.optional) break;
        const problem = value === "" ? "needs an answer" : checkAnswer(question, value);
        if (!problem) {
          answers[question.name] = value;
          break;
        }
        write(`  ${question.name} ${problem}\n`);
      }
    }
  } finally {
    terminal.close();
  }
}

/** Secrets never go through the template (it would put them in a plain file): set them encrypted. */
function nextSteps(stack: string): string {
  return [
    "next:",
    `  pulumi stack init ${stack}            # once, in your state backend`,
    `  pulumi config set --stack ${stack} <key> <value>   # any other key of Pulumi.yaml; secrets with --secret`,
    `  pulumi preview --stack ${stack}`,
    `  scimkit tenant up ${stack}`,
    "",
  ].join("\n");
}

export interface TenantUpOptions {
  readonly all?: boolean;
  readonly parallel?: number;
  readonly stopOnFailure?: boolean;
  readonly refresh?: boolean;
  readonly preview?: boolean;
  readonly cwd?: string;
}

/** Returns the exit code: 0 when every stack succeeded. */
export async function runTenantUp(
  stacks: readonly string[],
  options: TenantUpOptions,
  write: (text: string) => void,
): Promise<number> {
  if (options.all && stacks.length > 0) throw new Error("pass stack names or --all, not both");
  const selected = options.all ? await listStacks({ cwd: options.cwd }) : stacks;
  if (selected.length === 0)
    throw new Error("no stacks to update: name them (tenant up contoso fabrikam) or pass --all");
  const results = await rolloutStacks({
    stacks: selected,
    parallel: options.parallel,
    stopOnFailure: options.stopOnFailure,
    refresh: options.refresh,
    previewOnly: options.preview,
    cwd: options.cwd,
    onLine: (line) => write(`${line}\n`),
  });
  write(renderRolloutSummary(results));
  return results.every((result) => result.outcome === "succeeded") ? 0 : 1;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function register(program: Command): void {
  const tenant = program
    .command("tenant")
    .description("Onboard customer tenants and update many stacks")
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  $ scimkit tenant init contoso                     # answer the questions of tenants/TEMPLATE.yaml",
        "  $ scimkit tenant up --all --parallel 2            # pulumi up on every stack, then a summary",
        "  $ scimkit tenant up contoso fabrikam --preview",
      ].join("\n"),
    );
  tenant
    .command("init <stack>")
    .description("Answer the onboarding template's questions and write Pulumi.<stack>.yaml")
    .option("--set <name=value>", "answer one question (repeatable)", collect)
    .option("--answers <file.json>", "answers as a JSON object")
    .option("--template <file>", "the template (default: tenants/TEMPLATE.yaml)")
    .option("--cwd <dir>", "the Pulumi project directory (default: current directory)")
    .option("--force", "overwrite an existing Pulumi.<stack>.yaml")
    .option("--no-interactive", "never prompt; fail on unanswered questions")
    .action(async (stack: string, options: TenantInitOptions) => {
      await runTenantInit(stack, options, (text) => process.stdout.write(text));
    });
  tenant
    .command("up [stacks...]")
    .description("Run `pulumi up` on each named stack (or --all) and summarise; exit 1 if any failed")
    .option("--all", "every stack of the project (`pulumi stack ls`)")
    .option("--parallel <n>", "stacks updated at once", (value) => Number(value), 1)
    .option("--stop-on-failure", "skip the remaining stacks after the first failure")
    .option("--refresh", "refresh each stack first (reconcile portal drift)")
    .option("--preview", "run `pulumi preview` instead of `up`")
    .option("--cwd <dir>", "the Pulumi project directory (default: current directory)")
    .action(async (stacks: string[], options: TenantUpOptions) => {
      process.exitCode = await runTenantUp(stacks, options, (text) => process.stdout.write(text));
    });
}
