/**
 * The `scimkit` command: one commander program, one file per subcommand (serve.ts, validate.ts, …).
 * Each subcommand module exports `register(program)`; add yours to the list below.
 */
import fs from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { register as registerServe } from "./serve";
import { register as registerSimulate } from "./simulate";
import { register as registerStatus } from "./status";
import { register as registerTeardownCheck } from "./teardown-check";
import { register as registerTenant } from "./tenant";
import { register as registerValidate } from "./validate";

/** The version in the package.json above this file: src/cli/ from a clone, dist/src/cli/ in the image. */
function packageVersion(): string {
  for (
    let directory = __dirname;
    directory !== path.dirname(directory);
    directory = path.dirname(directory)
  ) {
    const candidate = path.join(directory, "package.json");
    if (fs.existsSync(candidate))
      return (JSON.parse(fs.readFileSync(candidate, "utf8")) as { version: string }).version;
  }
  return "unknown";
}

const program = new Command()
  .name("scimkit")
  .description("Connect an application to Microsoft Entra ID automatic user provisioning.")
  .version(packageVersion(), "-V, --version", "print the scimkit version")
  .showHelpAfterError()
  .addHelpText(
    "after",
    [
      "",
      "Examples:",
      "  $ scimkit serve                                   # SCIM API on :8080, SQLite in ./data, prints Tenant URL + token",
      '  $ scimkit validate --url http://127.0.0.1:8080/scim/v2 --token "$TOKEN"',
      '  $ scimkit simulate --url http://127.0.0.1:8080/scim/v2 --token "$TOKEN" --users 1000 --groups 10 --members 50',
      "  $ scimkit tenant init contoso                     # onboarding questions → Pulumi.contoso.yaml",
      "  $ scimkit status --all                            # provisioning health of every tenant stack",
      "  $ scimkit teardown-check --outputs contoso.outputs.json   # after pulumi destroy: anything left?",
      "  $ scimkit <command> --help                        # options and more examples of one command",
    ].join("\n"),
  );

const subcommands: Array<(program: Command) => void> = [
  registerServe,
  registerValidate,
  registerSimulate,
  registerStatus,
  registerTeardownCheck,
  registerTenant,
];
for (const register of subcommands) register(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`scimkit: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
