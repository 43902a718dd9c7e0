/**
 * `scimkit teardown-check`: after `pulumi destroy`, list anything of the integration that is still in
 * the tenant (app, service principal, trial users and group; deleted items when purging was asked for)
 * or the subscription (resource group). A destroyed stack has no outputs, so the ids come from the
 * outputs saved before destroy (`pulumi stack output --json > contoso.outputs.json`) or from flags.
 * Exit code 0 when nothing is left, 2 when something is, 1 on usage errors.
 */
import { basename } from "node:path";
import type { Command } from "commander";
import { armResourceGroupProbe } from "../operations/arm-resource-groups";
import { type GraphDirectoryClient, graphDirectoryProbe } from "../operations/graph-directory-probe";
import { readOutputsFile } from "../operations/outputs-file";
import { teardownTargetFromOutputs } from "../operations/stack-outputs";
import {
  findLeftovers,
  type ResourceGroupProbe,
  renderTeardownJson,
  renderTeardownText,
  type TeardownResult,
  type TeardownTarget,
} from "../operations/teardown-check";
import { defaultGraphClient } from "./lazy-graph-client";

export interface TeardownCheckOptions {
  readonly outputs?: readonly string[];
  readonly stack?: string;
  readonly applicationId?: string;
  readonly appName?: string;
  readonly servicePrincipalId?: string;
  readonly userId?: readonly string[];
  readonly groupId?: readonly string[];
  readonly resourceGroup?: string;
  readonly subscription?: string;
  readonly purge?: boolean;
  readonly json?: boolean;
}

export interface TeardownCheckIo {
  readonly write: (text: string) => void;
  readonly graph?: GraphDirectoryClient;
  readonly resourceGroups?: ResourceGroupProbe;
}

export const TEARDOWN_EXIT = { clean: 0, usage: 1, leftovers: 2 } as const;

export async function runTeardownCheck(options: TeardownCheckOptions, io: TeardownCheckIo): Promise<number> {
  const targets = await resolveTargets(options);
  const directory = graphDirectoryProbe(io.graph ?? (await defaultGraphClient()));
  const needsArm = targets.some((target) => target.resourceGroup);
  const resourceGroups = io.resourceGroups ?? (needsArm ? armResourceGroupProbe() : undefined);
  const results: TeardownResult[] = [];
  for (const target of targets) results.push(await findLeftovers(target, directory, resourceGroups));
  io.write(options.json ? renderTeardownJson(results) : results.map(renderTeardownText).join(""));
  return results.every((result) => result.leftovers.length === 0)
    ? TEARDOWN_EXIT.clean
    : TEARDOWN_EXIT.leftovers;
}

async function resolveTargets(options: TeardownCheckOptions): Promise<TeardownTarget[]> {
  const targets: TeardownTarget[] = [];
  for (const file of options.outputs ?? []) {
    const stack = options.outputs?.length === 1 && options.stack ? options.stack : stackNameFromFile(file);
    targets.push(withFlags(teardownTargetFromOutputs(stack, await readOutputsFile(file)), options));
  }
  const anyIdFlag =
    options.applicationId ||
    options.appName ||
    options.servicePrincipalId ||
    options.userId?.length ||
    options.groupId?.length ||
    options.resourceGroup;
  if (targets.length === 0) {
    if (!anyIdFlag) {
      throw new Error(
        "nothing to check: pass --outputs <file> (saved with `pulumi stack output --json > file` before destroy) " +
          "or the ids (--application-id, --service-principal-id, --user-id, --group-id, --resource-group …)",
      );
    }
    targets.push(
      withFlags(
        { stack: options.stack ?? "(given ids)", purgeRequested: false, trialUsers: [], trialGroups: [] },
        options,
      ),
    );
  }
  return targets;
}

/** Flags add to (and override) what the outputs file says. */
function withFlags(target: TeardownTarget, options: TeardownCheckOptions): TeardownTarget {
  if (options.resourceGroup && !options.subscription) {
    throw new Error("--resource-group needs --subscription <subscription id>");
  }
  return {
    ...target,
    applicationObjectId: options.applicationId ?? target.applicationObjectId,
    applicationDisplayName: options.appName ?? target.applicationDisplayName,
    servicePrincipalId: options.servicePrincipalId ?? target.servicePrincipalId,
    purgeRequested: options.purge === true || target.purgeRequested,
    trialUsers: [...target.trialUsers, ...(options.userId ?? []).map((id) => ({ id }))],
    trialGroups: [...target.trialGroups, ...(options.groupId ?? []).map((id) => ({ id }))],
    resourceGroup:
      options.resourceGroup && options.subscription
        ? { subscriptionId: options.subscription, name: options.resourceGroup }
        : target.resourceGroup,
  };
}

function stackNameFromFile(file: string): string {
  return basename(file).replace(/(\.outputs)?\.json$/, "");
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function register(program: Command): void {
  program
    .command("teardown-check")
    .description(
      "After `pulumi destroy`, list what is left of the integration in the tenant or subscription. " +
        "Exit 0 when nothing is, 2 when something is.",
    )
    .option("--outputs <files...>", "saved `pulumi stack output --json` of each destroyed stack")
    .option("--stack <name>", "the stack name to report (default: from the outputs file name)")
    .option("--application-id <objectId>", "the application's object id")
    .option("--app-name <displayName>", "also look for applications and service principals with this name")
    .option("--service-principal-id <objectId>", "the service principal's object id")
    .option("--user-id <objectId>", "a test user's object id (repeatable)", collect)
    .option("--group-id <objectId>", "a test group's object id (repeatable)", collect)
    .option("--resource-group <name>", "the stack's resource group")
    .option("--subscription <id>", "the subscription of --resource-group")
    .option("--purge", "purging was requested: deleted items must be gone too")
    .option("--json", "print JSON for scripts")
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  $ pulumi stack output --json --stack contoso > contoso.outputs.json   # before destroy",
        "  $ pulumi destroy --stack contoso",
        "  $ scimkit teardown-check --outputs contoso.outputs.json",
      ].join("\n"),
    )
    .action(async (options: TeardownCheckOptions) => {
      process.exitCode = await runTeardownCheck(options, { write: (text) => process.stdout.write(text) });
    });
}
