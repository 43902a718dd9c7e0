/**
 * Assignments name users by object id or user principal name and groups by object id or display name;
 * names are resolved at deploy time (GET /users, GET /groups with `$filter`).
 */
import type { GraphClient } from "../graph/client";

export interface AssignmentSpec {
  /** User object id or user principal name. Exactly one of user/group. */
  readonly user?: string;
  /** Group object id or display name (nested groups are not expanded beyond one level by Entra). */
  readonly group?: string;
  /** App role value or display name. @default "User" (the template's User role) */
  readonly role?: string;
}

const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isObjectId(reference: string): boolean {
  return OBJECT_ID.test(reference);
}

/** OData string literal: single quotes doubled. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export async function resolveUserId(graph: GraphClient, reference: string): Promise<string> {
  if (isObjectId(reference)) return reference;
  const users = await graph.list<{ id: string }>("/users", {
    query: { $filter: `userPrincipalName eq ${odataString(reference)}`, $select: "id,userPrincipalName" },
  });
  if (users.length !== 1) {
    throw new Error(`User "${reference}" was not found in the tenant (looked up by userPrincipalName).`);
  }
  return users[0].id;
}

export async function resolveGroupId(graph: GraphClient, reference: string): Promise<string> {
  if (isObjectId(reference)) return reference;
  const groups = await graph.list<{ id: string }>("/groups", {
    query: { $filter: `displayName eq ${odataString(reference)}`, $select: "id,displayName" },
  });
  if (groups.length === 0)
    throw new Error(`Group "${reference}" was not found in the tenant (looked up by displayName).`);
  if (groups.length > 1) {
    throw new Error(
      `Group name "${reference}" is ambiguous (${groups.length} groups): use the group's object id.`,
    );
  }
  return groups[0].id;
}

export interface ServicePrincipalRole {
  readonly id: string;
  readonly value?: string | null;
  readonly displayName?: string | null;
  readonly isEnabled?: boolean;
}

/** A role by value, else by display name ("User" is the template's role whose value is null). */
export function resolveRoleId(roles: readonly ServicePrincipalRole[], reference: string | undefined): string {
  const wanted = reference ?? "User";
  const enabled = roles.filter((role) => role.isEnabled !== false);
  const match =
    enabled.find((role) => role.value === wanted) ?? enabled.find((role) => role.displayName === wanted);
  if (!match) {
    const offered = enabled.map((role) => role.value ?? role.displayName).join(", ");
    throw new Error(`App role "${wanted}" does not exist on the enterprise application. Roles: ${offered}.`);
  }
  return match.id;
}
