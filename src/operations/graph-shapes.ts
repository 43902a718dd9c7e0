/**
 * The parts of Microsoft Graph's answers that the operations reports read, typed as they arrive
 * (every field optional: Graph omits nulls and adds fields over time). Names follow the v1.0 CSDL:
 * synchronizationJob / synchronizationStatus / synchronizationTaskExecution / synchronizationQuarantine
 * and provisioningObjectSummary (GET /auditLogs/provisioning).
 */

export interface SynchronizationError {
  readonly code?: string | null;
  readonly message?: string | null;
  readonly tenantActionable?: boolean | null;
}

export interface SynchronizationTaskExecution {
  readonly activityIdentifier?: string | null;
  readonly countEntitled?: number | null;
  readonly countEscrowed?: number | null;
  readonly countExported?: number | null;
  readonly countExports?: number | null;
  readonly countImported?: number | null;
  readonly error?: SynchronizationError | null;
  /** Succeeded | Failed | EntryLevelErrors */
  readonly state?: string | null;
  readonly timeBegan?: string | null;
  readonly timeEnded?: string | null;
}

export interface SynchronizationQuarantine {
  readonly currentBegan?: string | null;
  readonly error?: SynchronizationError | null;
  readonly nextAttempt?: string | null;
  /** EncounteredBaseEscrowThreshold, EncounteredQuarantineException, TooManyDeletes, … */
  readonly reason?: string | null;
  readonly seriesBegan?: string | null;
  readonly seriesCount?: number | null;
}

export interface SynchronizationStatus {
  /** NotConfigured | NotRun | Active | Paused | Quarantine */
  readonly code?: string | null;
  readonly countSuccessiveCompleteFailures?: number | null;
  readonly lastExecution?: SynchronizationTaskExecution | null;
  readonly lastSuccessfulExecution?: SynchronizationTaskExecution | null;
  readonly quarantine?: SynchronizationQuarantine | null;
  readonly steadyStateLastAchievedTime?: string | null;
  readonly troubleshootingUrl?: string | null;
}

export interface SynchronizationJob {
  readonly id?: string;
  readonly templateId?: string | null;
  /** schedule.state: Active | Disabled | Paused */
  readonly schedule?: { readonly state?: string | null; readonly interval?: string | null } | null;
  readonly status?: SynchronizationStatus | null;
}

export interface ProvisionedIdentity {
  readonly id?: string | null;
  readonly displayName?: string | null;
  readonly identityType?: string | null;
}

export interface ProvisioningObjectSummary {
  readonly id?: string;
  readonly activityDateTime?: string | null;
  readonly cycleId?: string | null;
  readonly jobId?: string | null;
  /** create | update | delete | disable | stagedDelete | other */
  readonly provisioningAction?: string | null;
  readonly provisioningStatusInfo?: {
    /** success | failure | skipped | warning */
    readonly status?: string | null;
    readonly errorInformation?: {
      readonly errorCode?: string | null;
      readonly errorCategory?: string | null;
      readonly reason?: string | null;
      readonly recommendedAction?: string | null;
      readonly additionalDetails?: string | null;
    } | null;
  } | null;
  readonly sourceIdentity?: ProvisionedIdentity | null;
  readonly targetIdentity?: ProvisionedIdentity | null;
}
