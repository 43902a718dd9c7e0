/** The human report of `scimkit simulate`: totals, phases, a per-operation latency table, errors. */
import type { SimulationProgress, SimulationReport } from "./simulation";

function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string[] {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, column) => Math.max(...cells.map((row) => row[column].length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column])))
      .join("  ");
  return [line(cells[0]), ...cells.slice(1).map(line)];
}

export function formatSimulationReport(report: SimulationReport): string {
  const { parameters: p, totals } = report;
  const lines = [
    `scimkit simulate ${report.url}  (run ${report.runId}, dialect ${report.dialect})`,
    `${p.users} users, ${p.groups} groups × ${p.membersPerGroup} members, concurrency ${p.concurrency}, ` +
      `${p.memberBatchSize} members per PATCH`,
    "",
    `${totals.requests} requests in ${totals.seconds} s: ${totals.perSecond} ops/s, ` +
      `p50 ${totals.p50Ms} ms, p95 ${totals.p95Ms} ms, p99 ${totals.p99Ms} ms, ${totals.errors} errors`,
    "",
    ...table(
      ["phase", "requests", "seconds", "ops/s"],
      report.phases.map((phase) => [phase.phase, phase.requests, phase.seconds, phase.perSecond]),
    ),
    "",
    ...table(
      ["operation", "count", "ops/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors"],
      report.operations.map((op) => [
        op.operation,
        op.count,
        op.perSecond,
        op.p50Ms,
        op.p95Ms,
        op.p99Ms,
        op.maxMs,
        op.errors,
      ]),
    ),
  ];
  const errors = Object.entries(report.errorsByStatus);
  lines.push("");
  if (errors.length === 0) lines.push("errors by status: none");
  else {
    lines.push("errors by status:");
    for (const [status, count] of errors) {
      lines.push(`  ${status}: ${count}   e.g. ${report.errorExamples[status] ?? ""}`);
    }
  }
  if (report.cleanup) {
    lines.push(
      `cleanup: deleted ${report.cleanup.deleted} objects in ${report.cleanup.seconds} s` +
        (report.cleanup.failed ? `, ${report.cleanup.failed} deletes FAILED` : ""),
    );
  }
  return lines.join("\n");
}

export function formatProgress(progress: SimulationProgress): string {
  const percent = progress.total === 0 ? 100 : Math.floor((progress.done / progress.total) * 100);
  return `${progress.phase}: ${progress.done}/${progress.total} (${percent}%), ${progress.requests} requests, ${progress.errors} errors`;
}
