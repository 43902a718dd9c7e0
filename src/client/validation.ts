/**
 * Runs validation checks against an endpoint and builds the report. Each check runs with its own
 * fixtures, cleaned up in a finally block (reverse order) whatever the check's outcome.
 */
import type { Check } from "./checks/check";
import { CheckFailure } from "./checks/check";
import { Fixtures, type LeftBehind } from "./checks/fixtures";
import { ALL_CHECKS } from "./checks/index";
import { TestNames } from "./checks/test-names";
import type { Dialect } from "./dialect";
import { EntraClient } from "./entra-client";
import { type Exchange, parseTenantUrl } from "./scim-connection";

export interface ValidationOptions {
  readonly url: string;
  readonly token: string;
  readonly dialects: readonly Dialect[];
  /** Check ids to run; all when absent or empty. */
  readonly only?: readonly string[];
  readonly timeoutMs: number;
  /** Called as each check finishes (live output). */
  readonly onResult?: (result: CheckResult) => void;
  readonly runId?: string;
}

export interface CheckResult {
  readonly id: string;
  readonly title: string;
  /** The dialect the check's requests were sent in. */
  readonly dialect: Dialect;
  /** true when the check runs once for all dialects (its requests are the same in both). */
  readonly dialectIndependent: boolean;
  readonly passed: boolean;
  readonly durationMs: number;
  readonly failure?: { readonly message: string; readonly exchanges: readonly Exchange[] };
}

export interface ValidationReport {
  readonly url: string;
  readonly runId: string;
  readonly dialects: readonly Dialect[];
  readonly results: readonly CheckResult[];
  readonly summary: { readonly total: number; readonly passed: number; readonly failed: number };
  readonly cleanup: { readonly deleted: number; readonly leftBehind: readonly LeftBehind[] };
  /** Exit code 0 only when every check passed and nothing was left behind. */
  readonly ok: boolean;
}

export interface PlannedCheck {
  readonly check: Check;
  readonly dialect: Dialect;
}

export function checkIds(): string[] {
  return ALL_CHECKS.map((check) => check.id);
}

/** `id  [dialect]  title` lines for `--help`. */
export function describeChecks(): string[] {
  const width = Math.max(...ALL_CHECKS.map((check) => check.id.length));
  return ALL_CHECKS.map((check) => {
    const scope =
      check.scope === "once" ? "" : check.scope === "perDialect" ? " [each dialect]" : ` [${check.scope}]`;
    return `${check.id.padEnd(width)}  ${check.title}${scope}`;
  });
}

/** Which checks run in which dialect. Unknown `--only` ids are an error listing the valid ones. */
export function planChecks(dialects: readonly Dialect[], only: readonly string[] = []): PlannedCheck[] {
  const unknown = only.filter((id) => !ALL_CHECKS.some((check) => check.id === id));
  if (unknown.length > 0) {
    throw new Error(
      `unknown check ${unknown.map((id) => `"${id}"`).join(", ")} in --only; valid checks: ${checkIds().join(", ")}`,
    );
  }
  const selected = only.length > 0 ? ALL_CHECKS.filter((check) => only.includes(check.id)) : ALL_CHECKS;
  const plan: PlannedCheck[] = [];
  for (const check of selected) {
    if (check.scope === "once") plan.push({ check, dialect: dialects[0] });
    else if (check.scope === "perDialect") for (const dialect of dialects) plan.push({ check, dialect });
    else if (dialects.includes(check.scope)) plan.push({ check, dialect: check.scope });
  }
  if (plan.length === 0) {
    throw new Error(
      `--only ${only.join(",")} selects no check in --dialect ${dialects.join(",")}: ` +
        "those checks exist only in the other dialect (use --dialect both)",
    );
  }
  return plan;
}

export async function runValidation(options: ValidationOptions): Promise<ValidationReport> {
  const plan = planChecks(options.dialects, options.only);
  const names = new TestNames(options.runId);
  const clients = new Map<Dialect, EntraClient>();
  const clientFor = (dialect: Dialect) => {
    let client = clients.get(dialect);
    if (!client) {
      client = new EntraClient({
        url: options.url,
        token: options.token,
        dialect,
        timeoutMs: options.timeoutMs,
      });
      clients.set(dialect, client);
    }
    return client;
  };

  const results: CheckResult[] = [];
  let deleted = 0;
  const leftBehind: LeftBehind[] = [];
  try {
    for (const { check, dialect } of plan) {
      const client = clientFor(dialect);
      const fixtures = new Fixtures(client, names);
      const started = performance.now();
      let failure: CheckResult["failure"];
      try {
        await check.run({ client, dialect, names, fixtures });
      } catch (error) {
        failure =
          error instanceof CheckFailure
            ? { message: error.message, exchanges: error.exchanges }
            : {
                message: `unexpected error: ${error instanceof Error ? error.message : String(error)}`,
                exchanges: [],
              };
      } finally {
        const cleanup = await fixtures.cleanup();
        deleted += cleanup.deleted;
        leftBehind.push(...cleanup.leftBehind);
      }
      const result: CheckResult = {
        id: check.id,
        title: check.title,
        dialect,
        dialectIndependent: check.scope === "once",
        passed: failure === undefined,
        durationMs: Math.round(performance.now() - started),
        ...(failure ? { failure } : {}),
      };
      results.push(result);
      options.onResult?.(result);
    }
  } finally {
    for (const client of clients.values()) client.close();
  }
  const passed = results.filter((result) => result.passed).length;
  return {
    url: displayUrl(options.url),
    runId: names.runId,
    dialects: options.dialects,
    results,
    summary: { total: results.length, passed, failed: results.length - passed },
    cleanup: { deleted, leftBehind },
    ok: passed === results.length && leftBehind.length === 0,
  };
}

/** The tenant URL as shown in reports: never with credentials embedded in it. */
function displayUrl(url: string): string {
  const parsed = parseTenantUrl(url);
  parsed.username = "";
  parsed.password = "";
  return parsed.toString();
}
