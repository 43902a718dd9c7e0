/**
 * How `scimkit validate` prints: one line per check as it finishes, the request and response of each
 * failure, then a summary. Everything passes through redactSecret.
 */

import type { Exchange } from "./scim-connection";
import type { CheckResult, ValidationReport } from "./validation";

const MAX_BODY_CHARS = 2000;

export function formatCheckLine(result: CheckResult): string {
  const verdict = result.passed ? "PASS" : "FAIL";
  const dialect = result.dialectIndependent ? "" : ` [${result.dialect}]`;
  const line = `${verdict}  ${result.id}${dialect}  ${result.durationMs} ms`;
  if (result.passed || !result.failure) return line;
  const details = [`      ${result.failure.message}`];
  for (const exchange of result.failure.exchanges) details.push(...formatExchange(exchange));
  return [line, ...details].join("\n");
}

export function formatExchange(exchange: Exchange): string[] {
  const { request, response } = exchange;
  const lines = [`      > ${request.method} ${request.url}`];
  for (const [name, value] of Object.entries(request.headers)) lines.push(`      > ${name}: ${value}`);
  if (request.body) lines.push(`      > ${truncate(request.body)}`);
  if (!response) {
    lines.push(`      < (no response: ${exchange.error})`);
    return lines;
  }
  lines.push(`      < ${response.status} ${response.statusText}`);
  const contentType = response.headers["content-type"];
  if (contentType) lines.push(`      < content-type: ${contentType}`);
  if (response.bodyText) lines.push(`      < ${truncate(response.bodyText)}`);
  return lines;
}

function truncate(text: string): string {
  const oneLine = text.replace(/\s*\n\s*/g, " ");
  return oneLine.length > MAX_BODY_CHARS
    ? `${oneLine.slice(0, MAX_BODY_CHARS)}… (${oneLine.length} chars)`
    : oneLine;
}

export function formatHeader(url: string, dialects: readonly string[]): string {
  return `scimkit validate ${url}\ndialects: ${dialects.join(", ")}\n`;
}

export function formatSummary(report: ValidationReport): string {
  const lines = [""];
  const { total, passed, failed } = report.summary;
  lines.push(
    `${total} check${total === 1 ? "" : "s"}: ${passed} passed, ${failed} failed  (run ${report.runId})`,
  );
  if (failed > 0) {
    const failedIds = report.results
      .filter((result) => !result.passed)
      .map((result) => (result.dialectIndependent ? result.id : `${result.id} [${result.dialect}]`));
    lines.push(`failed: ${failedIds.join(", ")}`);
  }
  if (report.cleanup.leftBehind.length === 0) {
    lines.push(`cleanup: deleted ${report.cleanup.deleted} test objects, nothing left behind`);
  } else {
    lines.push(
      `cleanup: deleted ${report.cleanup.deleted} test objects; COULD NOT DELETE (remove them by hand):`,
    );
    for (const left of report.cleanup.leftBehind) {
      lines.push(`  ${left.type} ${left.name}${left.id ? ` (id ${left.id})` : ""}: ${left.reason}`);
    }
  }
  return lines.join("\n");
}
