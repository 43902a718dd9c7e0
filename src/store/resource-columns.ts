/**
 * The few SCIM attributes an engine copies out of the document into indexed columns. Both engines
 * fill the columns with these functions, so a filter value folded by `foldCase` always compares
 * equal to the column it targets, whatever the database's own lower() would do (SQLite's folds only
 * ASCII).
 */
import { ScimError } from "../scim/errors";
import type { ResourceDocument, ResourceType } from "./contract";
import { assertStorableDocument } from "./document-limits";

export interface IndexedColumns {
  /** User.userName or Group.displayName: unique per type, case-insensitively. */
  readonly name: string;
  readonly nameLower: string;
  readonly externalId: string | null;
  /** User.active; null when absent and for groups. */
  readonly active: boolean | null;
}

/** The attribute that names a resource and must be unique (RFC 7643 §4.1, §4.2). */
export function nameAttributeOf(type: ResourceType): "userName" | "displayName" {
  return type === "User" ? "userName" : "displayName";
}

/** Case folding for case-insensitive uniqueness and comparisons (RFC 7643 §2.3 caseExact=false). */
export function foldCase(value: string): string {
  return value.toLowerCase();
}

/** The indexed columns of a document about to be stored; rejects documents no engine can store. */
export function indexedColumnsOf(type: ResourceType, document: ResourceDocument): IndexedColumns {
  assertStorableDocument(document);
  const nameAttribute = nameAttributeOf(type);
  const name = document[nameAttribute];
  if (typeof name !== "string" || name.trim() === "") {
    throw new ScimError(400, "invalidValue", `${type} requires a non-empty string "${nameAttribute}"`);
  }
  const externalId = document["externalId"];
  return {
    name,
    nameLower: foldCase(name),
    externalId: typeof externalId === "string" ? externalId : null,
    active: type === "User" ? activeOf(document["active"]) : null,
  };
}

/** Entra's default dialect sends "True"/"False" strings; the normaliser should have fixed them. */
function activeOf(value: unknown): boolean | null {
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
  return null;
}

/**
 * LIMIT and OFFSET of a page: RFC 7644 §3.4.2.4 — startIndex < 1 means 1, count < 0 means 0.
 * Non-numbers count as the smallest value rather than reaching SQL.
 */
export function pageWindow(options: { startIndex: number; count: number }): {
  limit: number;
  offset: number;
} {
  const whole = (value: number): number => (Number.isFinite(value) ? Math.max(0, Math.trunc(value)) : 0);
  return { limit: whole(options.count), offset: whole(options.startIndex - 1) };
}
