/**
 * Reading a job's health after it starts: the first cycle has run when `status.lastExecution` has
 * ended; quarantine carries a reason, an error and a troubleshooting URL (GET …/jobs/{id}).
 */
export interface JobSnapshot {
  schedule?: { state?: string } | null;
  status?: {
    code?: string;
    troubleshootingUrl?: string | null;
    quarantine?: { reason?: string; error?: { code?: string | null; message?: string | null } | null } | null;
    lastExecution?: {
      state?: string;
      timeEnded?: string | null;
      error?: { message?: string | null } | null;
    } | null;
  } | null;
}

export type FirstCycleOutcome =
  | { kind: "pending" }
  | { kind: "succeeded" }
  | { kind: "quarantined"; message: string }
  | { kind: "failed"; message: string };

export function firstCycleOutcome(job: JobSnapshot): FirstCycleOutcome {
  const status = job.status ?? {};
  if (status.code === "Quarantine" || status.quarantine) {
    const quarantine = status.quarantine ?? {};
    const detail = quarantine.error?.message ? `: ${quarantine.error.message}` : "";
    const url = status.troubleshootingUrl ? ` Troubleshooting: ${status.troubleshootingUrl}` : "";
    return {
      kind: "quarantined",
      message: `Provisioning is in quarantine (reason ${quarantine.reason ?? "unknown"}${detail}).${url}`,
    };
  }
  const last = status.lastExecution;
  if (last?.timeEnded) {
    if (last.state === "Failed") {
      return {
        kind: "failed",
        message: `The first provisioning cycle failed: ${last.error?.message ?? "no detail"}`,
      };
    }
    return { kind: "succeeded" };
  }
  return { kind: "pending" };
}

/** provisionOnDemand answers `key` and `value` as JSON strings; `value.result` is Success/Skipped/Failure. */
export function onDemandResult(response: { key?: string | null; value?: string | null }): {
  result: string;
  detail: string;
} {
  let parsed: {
    result?: string;
    statusInfo?: { errorInformation?: { reason?: string; errorCode?: string } | null };
  } = {};
  try {
    parsed = JSON.parse(response.value ?? "{}");
  } catch {
    return { result: "Unknown", detail: "unparseable provisionOnDemand response" };
  }
  const error = parsed.statusInfo?.errorInformation;
  return {
    result: parsed.result ?? "Unknown",
    detail: error ? `${error.errorCode ?? ""} ${error.reason ?? ""}`.trim() : "",
  };
}
