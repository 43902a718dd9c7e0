/**
 * What the operations commands need from a stack's outputs (`pulumi stack output --json`), and the
 * output names they are read from. infra/index.ts exports these names; keep both sides in step.
 */
import type { TeardownTarget } from "./teardown-check";

export const OUTPUT_NAMES = {
  servicePrincipalId: "servicePrincipalId",
  provisioningJobId: "provisioningJobId",
  applicationObjectId: "applicationObjectId",
  applicationDisplayName: "applicationDisplayName",
  purgeDeletedItems: "purgeDeletedItems",
  resourceGroupName: "resourceGroupName",
  subscriptionId: "subscriptionId",
  trial: "trial",
} as const;

/**
 * infra/index.ts groups the Entra side's outputs in one `entraProvisioning` object
 * (`{ servicePrincipalId, jobId, applicationObjectId, … }`); top-level names are accepted too, so a
 * hand-written outputs file can stay flat.
 */
const NESTED_ENTRA_OUTPUT = "entraProvisioning";
const NESTED_NAMES: Partial<Record<keyof typeof OUTPUT_NAMES, string>> = {
  servicePrincipalId: "servicePrincipalId",
  provisioningJobId: "jobId",
  applicationObjectId: "applicationObjectId",
  applicationDisplayName: "applicationDisplayName",
  purgeDeletedItems: "purgeDeletedItems",
};

function outputValue(outputs: Record<string, unknown>, name: keyof typeof OUTPUT_NAMES): unknown {
  const nested = outputs[NESTED_ENTRA_OUTPUT];
  const nestedName = NESTED_NAMES[name];
  if (nestedName && nested && typeof nested === "object") {
    const value = (nested as Record<string, unknown>)[nestedName];
    if (value !== undefined && value !== null) return value;
  }
  return outputs[OUTPUT_NAMES[name]];
}

export interface JobLocation {
  readonly servicePrincipalId: string;
  readonly jobId: string;
}

export function jobLocationFromOutputs(stack: string, outputs: Record<string, unknown>): JobLocation {
  const servicePrincipalId = optionalString(outputs, "servicePrincipalId");
  const jobId = optionalString(outputs, "provisioningJobId");
  const missing = [
    servicePrincipalId ? undefined : OUTPUT_NAMES.servicePrincipalId,
    jobId ? undefined : OUTPUT_NAMES.provisioningJobId,
  ].filter(Boolean);
  if (!servicePrincipalId || !jobId) {
    throw new Error(
      `stack ${stack} has no ${missing.join(" or ")} output: run \`pulumi up --stack ${stack}\` first ` +
        "(or pass --service-principal-id and --job-id)",
    );
  }
  return { servicePrincipalId, jobId };
}

/** The trial objects as recorded in the `trial` output (see infra/trial). */
export interface TrialOutputs {
  readonly users: readonly { readonly id: string; readonly userPrincipalName: string }[];
  readonly group?: { readonly id: string; readonly displayName: string };
  readonly purgeOnDestroy?: boolean;
}

export function teardownTargetFromOutputs(stack: string, outputs: Record<string, unknown>): TeardownTarget {
  const trial = trialFromOutputs(outputs);
  const resourceGroupName = optionalString(outputs, "resourceGroupName");
  const subscriptionId = optionalString(outputs, "subscriptionId");
  return {
    stack,
    applicationObjectId: optionalString(outputs, "applicationObjectId"),
    applicationDisplayName: optionalString(outputs, "applicationDisplayName"),
    servicePrincipalId: optionalString(outputs, "servicePrincipalId"),
    purgeRequested: outputValue(outputs, "purgeDeletedItems") === true || trial?.purgeOnDestroy === true,
    trialUsers: trial?.users ?? [],
    trialGroups: trial?.group ? [trial.group] : [],
    resourceGroup:
      resourceGroupName && subscriptionId ? { subscriptionId, name: resourceGroupName } : undefined,
  };
}

function trialFromOutputs(outputs: Record<string, unknown>): TrialOutputs | undefined {
  const trial = outputs[OUTPUT_NAMES.trial];
  if (!trial || typeof trial !== "object") return undefined;
  const record = trial as Record<string, unknown>;
  const users = Array.isArray(record.users)
    ? record.users
        .filter((user): user is Record<string, unknown> => !!user && typeof user === "object")
        .map((user) => ({ id: String(user.id), userPrincipalName: String(user.userPrincipalName) }))
    : [];
  const group =
    record.group && typeof record.group === "object"
      ? {
          id: String((record.group as Record<string, unknown>).id),
          displayName: String((record.group as Record<string, unknown>).displayName),
        }
      : undefined;
  return { users, group, purgeOnDestroy: record.purgeOnDestroy === true };
}

function optionalString(
  outputs: Record<string, unknown>,
  name: keyof typeof OUTPUT_NAMES,
): string | undefined {
  const value = outputValue(outputs, name);
  return typeof value === "string" && value.length > 0 ? value : undefined;
}
