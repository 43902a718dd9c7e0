/**
 * `scimkit status`: provisioning health of the current stack, one `--stack`, or `--all` stacks of the
 * Pulumi project. Same credentials as `pulumi up` (DefaultAzureCredential or SCIMKIT_GRAPH_TOKEN).
 * Exit code 0 when every job is healthy, 2 when one is not (or could not be read), 1 on usage errors.
 */
import { basename } from "node:path";
import type { Command } from "commander";
import { collectStatus, type GraphReader } from "../operations/collect-status";
import { readOutputsFile } from "../operations/outputs-file";
import {
  currentStackName,
  listStacks,
  PulumiCliMissingError,
  readStackOutputs,
} from "../operations/pulumi-cli";
import {
  outcomeIsHealthy,
  renderStatusJson,
  renderStatusText,
  type UnreadableStack,
} from "../operations/render-status";
import { type JobLocation, jobLocationFromOutputs } from "../operations/stack-outputs";
import type { StatusReport } from "../operations/status-report";
import { defaultGraphClient } from "./lazy-graph-client";

export interface StatusOptions {
  readonly stack?: string;
  readonly all?: boolean;
  readonly json?: boolean;
  readonly outputs?: string;
  readonly servicePrincipalId?: string;
  readonly jobId?: string;
  readonly cwd?: string;
  readonly logEntries?: number;
}

export interface StatusIo {
  readonly write: (text: string) => void;
  /** Defaults to infra/graph's client (SCIMKIT_GRAPH_ENDPOINT / SCIMKIT_GRAPH_TOKEN / DefaultAzureCredential). */
  readonly graph?: GraphReader;
}

/** Exit codes, for scripts: `scimkit status --all --json || page-someone`. */
export const STATUS_EXIT = { healthy: 0, usage: 1, unhealthy: 2 } as const;

export async function runStatus(options: StatusOptions, io: StatusIo): Promise<number> {
  const targets = await resolveTargets(options).catch((error: unknown) => {
    if (error instanceof PulumiCliMissingError) {
      throw new PulumiCliMissingError(
        error.executable,
        "pass the ids (--outputs <file.json>, or --service-principal-id and --job-id)",
      );
    }
    throw error;
  });
  const graph = io.graph ?? (await defaultGraphClient());
  const reports: StatusReport[] = [];
  const unreadable: UnreadableStack[] = [...targets.unreadable];
  for (const target of targets.locations) {
    try {
      reports.push(
        await collectStatus(graph, target.stack, target.location, { logEntries: options.logEntries }),
      );
    } catch (error) {
      if (!options.all) throw error;
      unreadable.push({
        stack: target.stack,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
  const outcome = { reports, unreadable };
  io.write(options.json ? renderStatusJson(outcome) : renderStatusText(outcome));
  return outcomeIsHealthy(outcome) ? STATUS_EXIT.healthy : STATUS_EXIT.unhealthy;
}

interface ResolvedTargets {
  readonly locations: { readonly stack: string; readonly location: JobLocation }[];
  readonly unreadable: UnreadableStack[];
}

async function resolveTargets(options: StatusOptions): Promise<ResolvedTargets> {
  const cli = { cwd: options.cwd };
  if (options.servicePrincipalId || options.jobId) {
    if (!options.servicePrincipalId || !options.jobId) {
      throw new Error("--service-principal-id and --job-id go together: pass both");
    }
    const location = { servicePrincipalId: options.servicePrincipalId, jobId: options.jobId };
    return { locations: [{ stack: options.stack ?? "(given ids)", location }], unreadable: [] };
  }
  if (options.outputs) {
    const stack = options.stack ?? basename(options.outputs).replace(/(\.outputs)?\.json$/, "");
    return {
      locations: [{ stack, location: jobLocationFromOutputs(stack, await readOutputsFile(options.outputs)) }],
      unreadable: [],
    };
  }
  if (options.all) {
    const resolved: ResolvedTargets = { locations: [], unreadable: [] };
    for (const stack of await listStacks(cli)) {
      try {
        resolved.locations.push({
          stack,
          location: jobLocationFromOutputs(stack, await readStackOutputs(stack, cli)),
        });
      } catch (error) {
        resolved.unreadable.push({ stack, message: error instanceof Error ? error.message : String(error) });
      }
    }
    return resolved;
  }
  const stack = options.stack ?? (await currentStackName(cli));
  return {
    locations: [{ stack, location: jobLocationFromOutputs(stack, await readStackOutputs(stack, cli)) }],
    unreadable: [],
  };
}

function parsePositiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 1000) {
    throw new Error(`--log-entries must be a whole number from 1 to 1000 (got "${value}")`);
  }
  return parsed;
}

export function register(program: Command): void {
  program
    .command("status")
    .description(
      "Show provisioning health: state, last cycle, quarantine, latest failures by error code. " +
        "Exit 0 when healthy, 2 when not.",
    )
    .option("--stack <name>", "a stack of the Pulumi project (default: the selected stack)")
    .option("--all", "every stack of the Pulumi project")
    .option("--json", "print JSON for scripts")
    .option(
      "--outputs <file>",
      "read ids from a saved `pulumi stack output --json` instead of the Pulumi CLI",
    )
    .option("--service-principal-id <id>", "the enterprise app's service principal object id")
    .option("--job-id <id>", "the provisioning job id (scim.…)")
    .option("--cwd <dir>", "the Pulumi project directory (default: current directory)")
    .option(
      "--log-entries <n>",
      "how many latest provisioning log entries to read",
      parsePositiveInteger,
      100,
    )
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  $ scimkit status                                  # the selected stack",
        "  $ scimkit status --all --json > status.json       # every stack; exit 2 when one is not healthy",
        "  $ scimkit status --service-principal-id <id> --job-id <scim.…>   # no Pulumi CLI needed",
      ].join("\n"),
    )
    .action(async (options: StatusOptions) => {
      if (options.all && (options.stack || options.outputs || options.servicePrincipalId)) {
        throw new Error("--all reads every stack: don't combine it with --stack, --outputs or ids");
      }
      process.exitCode = await runStatus(options, { write: (text) => process.stdout.write(text) });
    });
}
