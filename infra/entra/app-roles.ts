/**
 * Extra app roles ("update the application manifest"): PATCH /applications/{id} with the WHOLE
 * appRoles list, keeping the template's roles (User, msiam_access) and anything added in the portal.
 * Graph refuses to remove a role that is still enabled, so a role config no longer declares is first
 * disabled, then removed in a second PATCH.
 */
import { createHash } from "node:crypto";

export interface AppRoleSpec {
  /** Role value (the `roles` claim and what assignments name). */
  readonly value: string;
  readonly displayName: string;
  /** @default displayName */
  readonly description?: string;
  /** @default ["User"] (users and groups) */
  readonly allowedMemberTypes?: readonly ("User" | "Application")[];
}

export interface GraphAppRole {
  id: string;
  value: string | null;
  displayName: string | null;
  description: string | null;
  allowedMemberTypes: string[];
  isEnabled: boolean;
  origin?: string | null;
}

/** Deterministic role id: the same app and value always give the same id (name-based, RFC 9562 §5.5 layout). */
export function appRoleId(appId: string, value: string): string {
  const hash = createHash("sha1").update(`scimkit-app-role:${appId}:${value}`).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface AppRolePlan {
  /** PATCH first (disables roles about to go), or undefined when nothing must be disabled. */
  readonly disableFirst?: GraphAppRole[];
  /** The final list, or undefined when `existing` already matches. */
  readonly final?: GraphAppRole[];
}

/**
 * @param previouslyManaged role values this stack added before (so removing one from config removes it
 *        from the app, while roles others added are left alone).
 */
export function planAppRoles(
  appId: string,
  existing: readonly GraphAppRole[],
  desired: readonly AppRoleSpec[],
  previouslyManaged: readonly string[],
): AppRolePlan {
  const desiredValues = new Set(desired.map((role) => role.value));
  const wanted: GraphAppRole[] = desired.map((spec) => ({
    id: existing.find((role) => role.value === spec.value)?.id ?? appRoleId(appId, spec.value),
    value: spec.value,
    displayName: spec.displayName,
    description: spec.description ?? spec.displayName,
    allowedMemberTypes: [...(spec.allowedMemberTypes ?? ["User"])],
    isEnabled: true,
    origin: "Application",
  }));
  const removed = existing.filter(
    (role) => role.value !== null && previouslyManaged.includes(role.value) && !desiredValues.has(role.value),
  );
  const kept = existing.filter((role) => !desiredValues.has(role.value ?? "") && !removed.includes(role));
  const final = [...kept, ...wanted];
  const comparable = (roles: readonly GraphAppRole[]) =>
    JSON.stringify(
      roles
        .map((role) => [
          role.id,
          role.value,
          role.displayName,
          role.description,
          [...role.allowedMemberTypes].sort(),
          role.isEnabled,
        ])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
  const enabledRemoved = removed.filter((role) => role.isEnabled);
  return {
    disableFirst:
      enabledRemoved.length > 0
        ? existing.map((role) => (enabledRemoved.includes(role) ? { ...role, isEnabled: false } : role))
        : undefined,
    final: comparable(final) === comparable(existing) ? undefined : final,
  };
}

/** The managed roles as Graph has them now, for drift: value → display name/description/enabled. */
export function managedRolesView(existing: readonly GraphAppRole[], managedValues: readonly string[]) {
  return existing
    .filter((role) => role.value !== null && managedValues.includes(role.value))
    .map((role) => ({
      value: role.value!,
      displayName: role.displayName ?? "",
      description: role.description ?? "",
      allowedMemberTypes: [...role.allowedMemberTypes].sort(),
      isEnabled: role.isEnabled,
    }))
    .sort((a, b) => a.value.localeCompare(b.value));
}

export function desiredRolesView(desired: readonly AppRoleSpec[]) {
  return desired
    .map((spec) => ({
      value: spec.value,
      displayName: spec.displayName,
      description: spec.description ?? spec.displayName,
      allowedMemberTypes: [...(spec.allowedMemberTypes ?? ["User"])].sort(),
      isEnabled: true,
    }))
    .sort((a, b) => a.value.localeCompare(b.value));
}
