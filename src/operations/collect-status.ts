/**
 * Reads one job's health from Graph and builds its report: the job itself, then the latest
 * provisioning log entries of that job (../shared/docs/graph-provisioning.md, "Monitor").
 */
import type { ProvisioningObjectSummary, SynchronizationJob } from "./graph-shapes";
import { odataStringLiteral } from "./odata-literal";
import type { JobLocation } from "./stack-outputs";
import { buildStatusReport, type StatusReport } from "./status-report";

/** The slice of infra/graph's GraphClient this needs (kept narrow so tests can pass a stand-in). */
export interface GraphReader {
  get<T>(path: string, options?: { readonly query?: Readonly<Record<string, string>> }): Promise<T>;
}

export interface CollectStatusOptions {
  /** How many of the latest provisioning log entries to read. @default 100 */
  readonly logEntries?: number;
}

export async function collectStatus(
  graph: GraphReader,
  stack: string,
  location: JobLocation,
  options: CollectStatusOptions = {},
): Promise<StatusReport> {
  const job = await graph.get<SynchronizationJob>(
    `/servicePrincipals/${location.servicePrincipalId}/synchronization/jobs/${location.jobId}`,
  );
  let provisioningLogs: ProvisioningObjectSummary[] = [];
  let logsUnreadable: string | undefined;
  try {
    // Graph returns provisioning logs newest first; one page of $top entries is "the latest failures".
    const page = await graph.get<{ value?: ProvisioningObjectSummary[] }>("/auditLogs/provisioning", {
      query: {
        $filter: `jobId eq ${odataStringLiteral(location.jobId)}`,
        $top: String(options.logEntries ?? 100),
      },
    });
    provisioningLogs = page.value ?? [];
  } catch (error) {
    // The job's state is still worth showing; say exactly why the failures part is missing.
    const status = (error as { status?: number }).status;
    logsUnreadable =
      status === 403
        ? "403 Forbidden: the caller needs AuditLog.Read.All and Directory.Read.All"
        : error instanceof Error
          ? error.message
          : String(error);
  }
  return buildStatusReport({
    stack,
    servicePrincipalId: location.servicePrincipalId,
    jobId: location.jobId,
    job,
    provisioningLogs,
    logsUnreadable,
  });
}
