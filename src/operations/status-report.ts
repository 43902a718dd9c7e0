/**
 * The health report of one stack's provisioning job, built from two Graph reads:
 * `GET /servicePrincipals/{sp}/synchronization/jobs/{job}` and
 * `GET /auditLogs/provisioning?$filter=jobId eq '{job}'` (see ../shared/docs/graph-provisioning.md, "Monitor").
 * Pure: no I/O, so every verdict is testable from fixtures.
 */
import type {
  ProvisioningObjectSummary,
  SynchronizationJob,
  SynchronizationTaskExecution,
} from "./graph-shapes";

/** Worst first: the order decides which verdict wins and how `--all` sorts. */
export const HEALTH_VERDICTS = [
  "quarantined",
  "failing",
  "not-configured",
  "paused",
  "not-run",
  "healthy",
] as const;
export type HealthVerdict = (typeof HEALTH_VERDICTS)[number];

/** Microsoft's general page, used when the job does not carry its own troubleshootingUrl. */
export const DEFAULT_TROUBLESHOOTING_URL =
  "https://learn.microsoft.com/entra/identity/app-provisioning/application-provisioning-quarantine-status";

export interface CycleSummary {
  readonly began?: string;
  readonly ended?: string;
  readonly durationSeconds?: number;
  /** Succeeded | Failed | EntryLevelErrors */
  readonly result?: string;
  readonly imported: number;
  readonly exported: number;
  readonly escrowed: number;
  readonly error?: { readonly code: string; readonly message: string };
}

export interface QuarantineSummary {
  readonly reason: string;
  readonly since?: string;
  readonly attempts?: number;
  readonly nextAttempt?: string;
  readonly error?: { readonly code: string; readonly message: string };
  readonly troubleshootingUrl: string;
}

export interface FailureExample {
  readonly at?: string;
  readonly action?: string;
  readonly identity: string;
}

export interface FailureGroup {
  readonly errorCode: string;
  readonly count: number;
  readonly latestAt?: string;
  readonly reason?: string;
  readonly recommendedAction?: string;
  /** The most recent few, newest first. */
  readonly examples: readonly FailureExample[];
}

export interface StatusReport {
  readonly stack: string;
  readonly servicePrincipalId: string;
  readonly jobId: string;
  readonly verdict: HealthVerdict;
  readonly schedule: string;
  readonly statusCode: string;
  readonly lastCycle?: CycleSummary;
  readonly lastSuccessfulCycleEnded?: string;
  readonly successiveCompleteFailures: number;
  readonly quarantine?: QuarantineSummary;
  readonly logEntriesRead: number;
  /** Set when the provisioning logs could not be read (typically a missing AuditLog.Read.All). */
  readonly logsUnreadable?: string;
  readonly failures: readonly FailureGroup[];
  readonly troubleshootingUrl?: string;
}

export interface StatusReportInput {
  readonly stack: string;
  readonly servicePrincipalId: string;
  readonly jobId: string;
  readonly job: SynchronizationJob;
  readonly provisioningLogs: readonly ProvisioningObjectSummary[];
  readonly logsUnreadable?: string;
  /** How many failure examples to keep per error code. @default 3 */
  readonly examplesPerCode?: number;
}

export function buildStatusReport(input: StatusReportInput): StatusReport {
  const status = input.job.status ?? {};
  const schedule = input.job.schedule?.state ?? "Unknown";
  const statusCode = status.code ?? "Unknown";
  const lastCycle = status.lastExecution ? summariseCycle(status.lastExecution) : undefined;
  const troubleshootingUrl = status.troubleshootingUrl ?? undefined;
  const quarantine = summariseQuarantine(input.job, troubleshootingUrl);
  const failures = groupFailuresByErrorCode(input.provisioningLogs, input.examplesPerCode ?? 3);
  const successiveCompleteFailures = status.countSuccessiveCompleteFailures ?? 0;
  return {
    stack: input.stack,
    servicePrincipalId: input.servicePrincipalId,
    jobId: input.jobId,
    verdict: decideVerdict({
      schedule,
      statusCode,
      quarantine,
      lastCycle,
      failures,
      successiveCompleteFailures,
    }),
    schedule,
    statusCode,
    lastCycle,
    lastSuccessfulCycleEnded: status.lastSuccessfulExecution?.timeEnded ?? undefined,
    successiveCompleteFailures,
    quarantine,
    logEntriesRead: input.provisioningLogs.length,
    logsUnreadable: input.logsUnreadable,
    failures,
    troubleshootingUrl,
  };
}

function summariseCycle(execution: SynchronizationTaskExecution): CycleSummary {
  const began = execution.timeBegan ?? undefined;
  const ended = execution.timeEnded ?? undefined;
  const error = execution.error?.code
    ? { code: execution.error.code, message: execution.error.message ?? "" }
    : undefined;
  return {
    began,
    ended,
    durationSeconds: began && ended ? secondsBetween(began, ended) : undefined,
    result: execution.state ?? undefined,
    imported: execution.countImported ?? 0,
    exported: execution.countExported ?? 0,
    escrowed: execution.countEscrowed ?? 0,
    error,
  };
}

function secondsBetween(from: string, to: string): number | undefined {
  const milliseconds = Date.parse(to) - Date.parse(from);
  return Number.isFinite(milliseconds) && milliseconds >= 0 ? Math.round(milliseconds / 1000) : undefined;
}

/**
 * Graph reports quarantine in two places: `status.code = "Quarantine"` and a non-null `status.quarantine`.
 * Either one counts; the reason falls back to "Unknown" (a value of the quarantineReason enum).
 */
function summariseQuarantine(
  job: SynchronizationJob,
  troubleshootingUrl: string | undefined,
): QuarantineSummary | undefined {
  const quarantine = job.status?.quarantine;
  if (!quarantine && job.status?.code !== "Quarantine") return undefined;
  const error = quarantine?.error?.code
    ? { code: quarantine.error.code, message: quarantine.error.message ?? "" }
    : undefined;
  return {
    reason: quarantine?.reason ?? "Unknown",
    since: quarantine?.seriesBegan ?? quarantine?.currentBegan ?? undefined,
    attempts: quarantine?.seriesCount ?? undefined,
    nextAttempt: quarantine?.nextAttempt ?? undefined,
    error,
    troubleshootingUrl: troubleshootingUrl ?? DEFAULT_TROUBLESHOOTING_URL,
  };
}

/** Failed log entries grouped by `errorInformation.errorCode`, biggest group first, then most recent. */
export function groupFailuresByErrorCode(
  entries: readonly ProvisioningObjectSummary[],
  examplesPerCode: number,
): FailureGroup[] {
  const failed = entries
    .filter((entry) => entry.provisioningStatusInfo?.status?.toLowerCase() === "failure")
    .sort((a, b) => (b.activityDateTime ?? "").localeCompare(a.activityDateTime ?? ""));
  const groups = new Map<string, ProvisioningObjectSummary[]>();
  for (const entry of failed) {
    const code = entry.provisioningStatusInfo?.errorInformation?.errorCode || "(no error code)";
    const group = groups.get(code) ?? [];
    group.push(entry);
    groups.set(code, group);
  }
  return [...groups.entries()]
    .map(([errorCode, group]): FailureGroup => {
      const newest = group[0];
      const information = newest.provisioningStatusInfo?.errorInformation;
      return {
        errorCode,
        count: group.length,
        latestAt: newest.activityDateTime ?? undefined,
        reason: information?.reason ?? undefined,
        recommendedAction: information?.recommendedAction ?? undefined,
        examples: group.slice(0, examplesPerCode).map((entry) => ({
          at: entry.activityDateTime ?? undefined,
          action: entry.provisioningAction ?? undefined,
          identity: describeIdentity(entry),
        })),
      };
    })
    .sort((a, b) => b.count - a.count || (b.latestAt ?? "").localeCompare(a.latestAt ?? ""));
}

function describeIdentity(entry: ProvisioningObjectSummary): string {
  const source = entry.sourceIdentity;
  return source?.displayName || source?.id || entry.targetIdentity?.displayName || "(unknown object)";
}

function decideVerdict(facts: {
  schedule: string;
  statusCode: string;
  quarantine: QuarantineSummary | undefined;
  lastCycle: CycleSummary | undefined;
  failures: readonly FailureGroup[];
  successiveCompleteFailures: number;
}): HealthVerdict {
  if (facts.quarantine) return "quarantined";
  const cycleFailed = facts.lastCycle?.result === "Failed" || facts.lastCycle?.result === "EntryLevelErrors";
  if (cycleFailed || facts.failures.length > 0 || facts.successiveCompleteFailures > 0) return "failing";
  if (facts.statusCode === "NotConfigured") return "not-configured";
  if (facts.schedule === "Paused" || facts.schedule === "Disabled" || facts.statusCode === "Paused")
    return "paused";
  if (facts.statusCode === "NotRun" || !facts.lastCycle) return "not-run";
  return "healthy";
}

/** Worst verdict first, then by stack name: what an operator should look at first. */
export function sortReportsWorstFirst(reports: readonly StatusReport[]): StatusReport[] {
  return [...reports].sort(
    (a, b) =>
      HEALTH_VERDICTS.indexOf(a.verdict) - HEALTH_VERDICTS.indexOf(b.verdict) ||
      a.stack.localeCompare(b.stack),
  );
}
