/**
 * `scimkit validate`: checks any SCIM endpoint the way Microsoft Entra provisioning calls it.
 * The logic lives in src/client/ (a pure client: it never imports the service).
 */
import { type Command, Option } from "commander";
import { parseDialectOption } from "../client/dialect";
import { redactSecret } from "../client/redact";
import { describeChecks, runValidation } from "../client/validation";
import { formatCheckLine, formatHeader, formatSummary } from "../client/validation-output";

interface ValidateOptions {
  url: string;
  token: string;
  dialect: string;
  only: string[];
  json?: boolean;
  timeout: string;
}

function collectChecks(value: string, previous: string[]): string[] {
  return [
    ...previous,
    ...value
      .split(",")
      .map((id) => id.trim())
      .filter(Boolean),
  ];
}

export function parseTimeout(value: string): number {
  const timeout = Number(value);
  if (!Number.isInteger(timeout) || timeout < 1) {
    throw new Error(`--timeout must be a whole number of milliseconds (got "${value}")`);
  }
  return timeout;
}

export function register(program: Command): void {
  program
    .command("validate")
    .description("Check a SCIM endpoint with the exact requests Microsoft Entra provisioning sends.")
    .requiredOption(
      "--url <tenantUrl>",
      "the endpoint's tenant URL, as entered in Entra (e.g. https://app.example.com/scim)",
    )
    .addOption(
      new Option("--token <token>", "the bearer Secret Token (or set SCIMKIT_TOKEN)")
        .env("SCIMKIT_TOKEN")
        .makeOptionMandatory(),
    )
    .option("--dialect <dialect>", "PATCH dialect: default, aadOptscim062020 or both", "both")
    .option("--only <check>", "run only this check (repeatable, or a comma list)", collectChecks, [])
    .option("--json", "print a machine-readable report on stdout")
    .option("--timeout <ms>", "per-request timeout in milliseconds", "30000")
    .addHelpText(
      "after",
      [
        "",
        "Checks (in order):",
        ...describeChecks().map((line) => `  ${line}`),
        "",
        "Everything it creates is named scimkit-validate-<run id>-… and deleted before it exits.",
        "Exit code: 0 when every check passes, 1 otherwise.",
        "",
        "Examples:",
        '  $ scimkit validate --url http://127.0.0.1:8080/scim --token "$TOKEN"',
        '  $ scimkit validate --url https://app.example.com/scim --token "$TOKEN" --dialect default --only disable-user-string-false',
        '  $ scimkit validate --url https://app.example.com/scim --token "$TOKEN" --json > report.json',
      ].join("\n"),
    )
    .action(async (options: ValidateOptions) => {
      const dialects = parseDialectOption(options.dialect);
      const timeoutMs = parseTimeout(options.timeout);
      const print = (text: string) => process.stdout.write(`${redactSecret(text, options.token)}\n`);
      if (!options.json) print(formatHeader(options.url.replace(/\/\/[^@/]*@/, "//"), dialects));
      const report = await runValidation({
        url: options.url,
        token: options.token,
        dialects,
        only: options.only,
        timeoutMs,
        onResult: options.json ? undefined : (result) => print(formatCheckLine(result)),
      });
      print(options.json ? JSON.stringify(report, null, 2) : formatSummary(report));
      process.exitCode = report.ok ? 0 : 1;
    });
}
