/**
 * The admin-credentials set of a provisioning job (PUT …/synchronization/secrets). Every value is a
 * string; SyncNotificationSettings is a JSON document serialised into a string. Merge vs replace is
 * undocumented, so the COMPLETE set is always sent; GET answers masked values, so nothing read is ever
 * written back (../shared/docs/graph-provisioning.md, "Admin credentials, Save").
 */
export interface ProvisioningCredentialSettings {
  /** SCIM base URL Entra calls (the portal's "Tenant URL"). */
  readonly tenantUrl: string;
  readonly secretToken: string;
  /** Append `?aadOptscim062020` (Entra's RFC-compliant PATCH behaviour flag). */
  readonly useAadOptscim062020: boolean;
  /** "Send an email notification when a failure occurs". */
  readonly notificationEmail?: string;
  readonly notifyOnFailure: boolean;
  /** "Prevent accidental deletion" and its threshold. */
  readonly deleteThresholdEnabled: boolean;
  readonly deleteThresholdValue: number;
  /** Scope: true = "Sync all users and groups", false = "Sync only assigned users and groups". */
  readonly syncAll: boolean;
  readonly skipOutOfScopeDeletions: boolean;
}

export const CREDENTIAL_KEYS = [
  "BaseAddress",
  "SecretToken",
  "SyncNotificationSettings",
  "SyncAll",
  "SkipOutOfScopeDeletions",
] as const;

export function tenantUrlWithFlag(tenantUrl: string, useFlag: boolean): string {
  if (!useFlag) return tenantUrl;
  const url = new URL(tenantUrl);
  if (!url.searchParams.has("aadOptscim062020"))
    url.search = url.search ? `${url.search}&aadOptscim062020` : "?aadOptscim062020";
  return url.toString();
}

export function buildSynchronizationSecrets(settings: ProvisioningCredentialSettings) {
  const notification = {
    Enabled: settings.notifyOnFailure && settings.notificationEmail !== undefined,
    Recipients: settings.notificationEmail ?? "",
    DeleteThresholdEnabled: settings.deleteThresholdEnabled,
    DeleteThresholdValue: settings.deleteThresholdValue,
  };
  const values: Record<(typeof CREDENTIAL_KEYS)[number], string> = {
    BaseAddress: tenantUrlWithFlag(settings.tenantUrl, settings.useAadOptscim062020),
    SecretToken: settings.secretToken,
    SyncNotificationSettings: JSON.stringify(notification),
    SyncAll: String(settings.syncAll),
    SkipOutOfScopeDeletions: String(settings.skipOutOfScopeDeletions),
  };
  return CREDENTIAL_KEYS.map((key) => ({ key, value: values[key] }));
}

/** Test Connection sends only the address and the token. */
export function testConnectionCredentials(settings: ProvisioningCredentialSettings) {
  return buildSynchronizationSecrets(settings).filter(
    (pair) => pair.key === "BaseAddress" || pair.key === "SecretToken",
  );
}
