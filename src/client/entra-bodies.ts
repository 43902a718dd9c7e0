/**
 * Request bodies exactly as the Entra provisioning service sends them
 * (../shared/docs/entra-scim-wire.md, "Create-user body as Entra sends it" and "The two PATCH dialects").
 * Pure functions: the same bodies serve `validate` and `simulate`.
 */
import { type Dialect, opName } from "./dialect";

export const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
export const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const ENTERPRISE_USER_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
/** Non-standard schema URI Entra puts on every group create; a server must not reject it. */
export const ADSCIM_GROUP_SCHEMA = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group";
export const PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const LIST_RESPONSE_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
export const ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";

export interface UserFields {
  readonly userName: string;
  readonly externalId: string;
  readonly workEmail: string;
  readonly givenName: string;
  readonly familyName: string;
}

export interface PatchOperation {
  readonly op: string;
  readonly path?: string;
  readonly value?: unknown;
}

export interface PatchBody {
  readonly schemas: readonly string[];
  readonly Operations: readonly PatchOperation[];
}

/** POST /Users as a current tenant sends it. */
export function createUserBody(user: UserFields): Record<string, unknown> {
  return {
    schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
    externalId: user.externalId,
    userName: user.userName,
    active: true,
    emails: [{ primary: true, type: "work", value: user.workEmail }],
    meta: { resourceType: "User" },
    name: {
      formatted: `${user.givenName} ${user.familyName}`,
      familyName: user.familyName,
      givenName: user.givenName,
    },
    roles: [],
  };
}

/** POST /Users as older tenants send it: explicit nulls and the malformed enterprise URN `…:2.0User`. */
export function createUserBodyFromOlderTenant(user: UserFields): Record<string, unknown> {
  return {
    ...createUserBody(user),
    schemas: [USER_SCHEMA, "urn:ietf:params:scim:schemas:extension:enterprise:2.0User"],
    title: null,
    manager: null,
  };
}

/** POST /Groups: created empty, members follow by PATCH. */
export function createGroupBody(displayName: string, externalId: string): Record<string, unknown> {
  return {
    schemas: [GROUP_SCHEMA, ADSCIM_GROUP_SCHEMA],
    externalId,
    displayName,
    meta: { resourceType: "Group" },
  };
}

export function patchBody(operations: readonly PatchOperation[]): PatchBody {
  return { schemas: [PATCH_SCHEMA], Operations: operations };
}

/** Disable (`active=false`) or re-enable: `"False"`/`"True"` strings in the default dialect, booleans otherwise. */
export function setActiveBody(dialect: Dialect, active: boolean): PatchBody {
  const value = dialect === "default" ? (active ? "True" : "False") : active;
  return patchBody([{ op: opName(dialect, "replace"), path: "active", value }]);
}

export interface UserAttributeChanges {
  readonly workEmail: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly employeeNumber: string;
}

/**
 * Several attributes changed. Default dialect: one `Replace` per path, value paths for multi-valued
 * attributes. aadOptscim062020: one path-less `replace` whose keys are dotted / URN-qualified paths.
 */
export function updateUserAttributesBody(dialect: Dialect, changes: UserAttributeChanges): PatchBody {
  const employeeNumberPath = `${ENTERPRISE_USER_SCHEMA}:employeeNumber`;
  if (dialect === "default") {
    const replace = opName(dialect, "replace");
    return patchBody([
      { op: replace, path: 'emails[type eq "work"].value', value: changes.workEmail },
      { op: replace, path: "name.givenName", value: changes.givenName },
      { op: replace, path: "name.familyName", value: changes.familyName },
      { op: replace, path: employeeNumberPath, value: changes.employeeNumber },
    ]);
  }
  return patchBody([
    {
      op: opName(dialect, "replace"),
      value: {
        'emails[type eq "work"].value': changes.workEmail,
        "name.givenName": changes.givenName,
        "name.familyName": changes.familyName,
        [employeeNumberPath]: changes.employeeNumber,
      },
    },
  ]);
}

/** Set the enterprise manager: a bare id in the default dialect, `{"value": id}` in aadOptscim062020. */
export function setManagerBody(dialect: Dialect, managerId: string): PatchBody {
  return patchBody([
    {
      op: opName(dialect, "add"),
      path: `${ENTERPRISE_USER_SCHEMA}:manager`,
      value: dialect === "default" ? managerId : { value: managerId },
    },
  ]);
}

export function removeManagerBody(dialect: Dialect): PatchBody {
  return patchBody([{ op: opName(dialect, "remove"), path: `${ENTERPRISE_USER_SCHEMA}:manager` }]);
}

export function renameGroupBody(dialect: Dialect, displayName: string): PatchBody {
  return patchBody([{ op: opName(dialect, "replace"), path: "displayName", value: displayName }]);
}

export function addMembersBody(dialect: Dialect, memberIds: readonly string[]): PatchBody {
  return patchBody([
    {
      op: opName(dialect, "add"),
      path: "members",
      value: memberIds.map((id) => ({ $ref: null, value: id })),
    },
  ]);
}

/** The default dialect's removal: path `members` and the ids to remove in `value`. Only those go. */
export function removeMembersLegacyBody(memberIds: readonly string[]): PatchBody {
  return patchBody([{ op: "Remove", path: "members", value: memberIds.map((id) => ({ value: id })) }]);
}

/** aadOptscim062020's removal: one op per member, with a value filter in the path (RFC 7644 §3.5.2.2). */
export function removeMembersByFilterBody(memberIds: readonly string[]): PatchBody {
  return patchBody(memberIds.map((id) => ({ op: "remove", path: `members[value eq "${id}"]` })));
}

export function removeMembersBody(dialect: Dialect, memberIds: readonly string[]): PatchBody {
  return dialect === "default" ? removeMembersLegacyBody(memberIds) : removeMembersByFilterBody(memberIds);
}
