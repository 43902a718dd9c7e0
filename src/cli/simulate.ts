/**
 * `scimkit simulate`: replays Entra provisioning cycles (initial, then incremental) against an endpoint
 * and reports throughput and latency per operation. Logic in src/client/simulation/.
 */
import { type Command, Option } from "commander";
import { type Dialect, parseDialectOption } from "../client/dialect";
import { redactSecret } from "../client/redact";
import { runSimulation, type SimulationProgress } from "../client/simulation/simulation";
import { formatProgress, formatSimulationReport } from "../client/simulation/simulation-output";
import { parseTimeout } from "./validate";

interface SimulateOptions {
  url: string;
  token: string;
  users: string;
  groups: string;
  members: string;
  concurrency: string;
  memberBatch: string;
  dialect: string;
  timeout: string;
  json?: boolean;
  keep?: boolean;
}

function wholeNumber(name: string, value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number)) {
    throw new Error(`--${name} must be a whole number (got "${value}")`);
  }
  return number;
}

/** Progress on stderr: a live line on a terminal, otherwise one line every 5 s (CI logs stay short). */
function progressPrinter(): (progress: SimulationProgress) => void {
  const interactive = process.stderr.isTTY === true;
  const interval = interactive ? 200 : 5000;
  let last = 0;
  let lastPhase = "";
  return (progress) => {
    const now = Date.now();
    const finished = progress.done === progress.total;
    if (!finished && progress.phase === lastPhase && now - last < interval) return;
    last = now;
    lastPhase = progress.phase;
    const line = formatProgress(progress);
    process.stderr.write(interactive ? `\r\x1b[2K${line}${finished ? "\n" : ""}` : `${line}\n`);
  };
}

export function register(program: Command): void {
  program
    .command("simulate")
    .description(
      "Replay Entra provisioning cycles (initial + incremental) against a SCIM endpoint and measure it.",
    )
    .requiredOption("--url <tenantUrl>", "the endpoint's tenant URL (e.g. http://127.0.0.1:8080/scim/v2)")
    .addOption(
      new Option("--token <token>", "the bearer Secret Token (or set SCIMKIT_TOKEN)")
        .env("SCIMKIT_TOKEN")
        .makeOptionMandatory(),
    )
    .option("--users <n>", "users in scope", "1000")
    .option("--groups <n>", "groups in scope", "10")
    .option("--members <n>", "members per group", "100")
    .option("--concurrency <n>", "requests in flight at once", "16")
    .option("--member-batch <n>", "members per PATCH when filling a group", "10")
    .option("--dialect <dialect>", "PATCH dialect: default or aadOptscim062020", "default")
    .option("--timeout <ms>", "per-request timeout in milliseconds", "30000")
    .option(
      "--keep",
      "leave the simulated users and groups on the endpoint (default: delete them at the end)",
    )
    .option("--json", "print the report as JSON on stdout")
    .addHelpText(
      "after",
      [
        "",
        "Creates users and groups named scimkit-simulate-<run id>-…; point it at a test endpoint, not production.",
        "",
        "Examples:",
        '  $ scimkit simulate --url http://127.0.0.1:8080/scim/v2 --token "$TOKEN" --users 10000 --groups 100 --members 100 --concurrency 32',
        '  $ scimkit simulate --url http://127.0.0.1:8080/scim/v2 --token "$TOKEN" --users 100 --groups 5 --members 20 --json',
      ].join("\n"),
    )
    .action(async (options: SimulateOptions) => {
      const dialects = parseDialectOption(options.dialect);
      if (dialects.length !== 1)
        throw new Error("--dialect for simulate must be default or aadOptscim062020");
      const report = await runSimulation({
        url: options.url,
        token: options.token,
        users: wholeNumber("users", options.users),
        groups: wholeNumber("groups", options.groups),
        membersPerGroup: wholeNumber("members", options.members),
        concurrency: wholeNumber("concurrency", options.concurrency),
        memberBatchSize: wholeNumber("member-batch", options.memberBatch),
        dialect: dialects[0] as Dialect,
        timeoutMs: parseTimeout(options.timeout),
        keep: options.keep === true,
        onProgress: progressPrinter(),
      });
      const text = options.json ? JSON.stringify(report, null, 2) : formatSimulationReport(report);
      process.stdout.write(`${redactSecret(text, options.token)}\n`);
      process.exitCode = report.totals.errors === 0 && (report.cleanup?.failed ?? 0) === 0 ? 0 : 1;
    });
}
