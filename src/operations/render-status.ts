/**
 * Terminal and JSON renderings of status reports. The terminal form is for a person scanning many
 * tenants: one headline per stack with its verdict, then only what needs attention.
 */
import type { FailureGroup, StatusReport } from "./status-report";
import { sortReportsWorstFirst } from "./status-report";

/** A stack whose job could not be read (no outputs, Graph refused…): reported, not fatal for `--all`. */
export interface UnreadableStack {
  readonly stack: string;
  readonly message: string;
}

export interface StatusOutcome {
  readonly reports: readonly StatusReport[];
  readonly unreadable: readonly UnreadableStack[];
}

/** `healthy` only when every stack was read and every job is healthy: what `--json` consumers branch on. */
export function outcomeIsHealthy(outcome: StatusOutcome): boolean {
  return outcome.unreadable.length === 0 && outcome.reports.every((report) => report.verdict === "healthy");
}

export function renderStatusJson(outcome: StatusOutcome): string {
  return `${JSON.stringify(
    {
      healthy: outcomeIsHealthy(outcome),
      stacks: sortReportsWorstFirst(outcome.reports),
      unreadable: outcome.unreadable,
    },
    null,
    2,
  )}\n`;
}

export function renderStatusText(outcome: StatusOutcome): string {
  const blocks = sortReportsWorstFirst(outcome.reports).map(renderReport);
  for (const stack of outcome.unreadable) {
    blocks.push(`${stack.stack}: UNREADABLE\n  ${stack.message}\n`);
  }
  if (outcome.reports.length + outcome.unreadable.length > 1) blocks.push(renderTally(outcome));
  return blocks.join("\n");
}

const LABEL_WIDTH = 13;

function line(label: string, value: string): string {
  return `  ${label.padEnd(LABEL_WIDTH)}${value}\n`;
}

function continuation(value: string): string {
  return `  ${" ".repeat(LABEL_WIDTH)}${value}\n`;
}

function renderReport(report: StatusReport): string {
  let text = `${report.stack}: ${report.verdict.toUpperCase()}\n`;
  text += line("job", `${report.jobId} (service principal ${report.servicePrincipalId})`);
  text += line("state", `schedule ${report.schedule}, status ${report.statusCode}`);
  text += renderLastCycle(report);
  if (report.quarantine) {
    const quarantine = report.quarantine;
    const since = quarantine.since ? ` since ${quarantine.since}` : "";
    const attempts = quarantine.attempts !== undefined ? `, ${quarantine.attempts} attempt(s)` : "";
    text += line("quarantine", `${quarantine.reason}${since}${attempts}`);
    if (quarantine.error) text += continuation(`${quarantine.error.code}: ${quarantine.error.message}`);
    if (quarantine.nextAttempt) text += continuation(`next attempt ${quarantine.nextAttempt}`);
    text += continuation(`troubleshoot: ${quarantine.troubleshootingUrl}`);
  }
  text += report.logsUnreadable
    ? line("failures", `provisioning logs unreadable: ${report.logsUnreadable}`)
    : renderFailures(report.failures, report.logEntriesRead);
  return text;
}

function renderLastCycle(report: StatusReport): string {
  const cycle = report.lastCycle;
  if (!cycle) return line("last cycle", "none yet");
  const duration = cycle.durationSeconds !== undefined ? ` (${cycle.durationSeconds} s)` : "";
  let text = line(
    "last cycle",
    `${cycle.began ?? "?"} → ${cycle.ended ?? "running"}${duration}, ${cycle.result ?? "no result"}`,
  );
  text += continuation(`imported ${cycle.imported}, exported ${cycle.exported}, escrowed ${cycle.escrowed}`);
  if (cycle.error) text += continuation(`error ${cycle.error.code}: ${cycle.error.message}`);
  if (report.lastSuccessfulCycleEnded && report.lastSuccessfulCycleEnded !== cycle.ended) {
    text += continuation(`last success ended ${report.lastSuccessfulCycleEnded}`);
  }
  return text;
}

function renderFailures(failures: readonly FailureGroup[], entriesRead: number): string {
  if (failures.length === 0) return line("failures", `none in the latest ${entriesRead} log entries`);
  const total = failures.reduce((sum, group) => sum + group.count, 0);
  let text = line("failures", `${total} of the latest ${entriesRead} log entries, by error code:`);
  for (const group of failures) {
    text += continuation(`${group.errorCode} ×${group.count}, latest ${group.latestAt ?? "?"}`);
    if (group.reason) text += continuation(`  ${group.reason}`);
    if (group.recommendedAction) text += continuation(`  do: ${group.recommendedAction}`);
    const examples = group.examples.map((example) => `${example.identity} (${example.action ?? "?"})`);
    text += continuation(`  e.g. ${examples.join(", ")}`);
  }
  return text;
}

function renderTally(outcome: StatusOutcome): string {
  const counts = new Map<string, number>();
  for (const report of sortReportsWorstFirst(outcome.reports))
    counts.set(report.verdict, (counts.get(report.verdict) ?? 0) + 1);
  if (outcome.unreadable.length > 0) counts.set("unreadable", outcome.unreadable.length);
  const parts = [...counts.entries()].map(([verdict, count]) => `${count} ${verdict}`);
  return `${outcome.reports.length + outcome.unreadable.length} stacks: ${parts.join(", ")}\n`;
}
