/**
 * The one storage contract. The protocol layer (src/scim) talks only to this interface; each engine
 * (SQLite embedded, PostgreSQL) implements it completely, and the same contract test suite runs
 * against every engine. Engines know just enough of SCIM to index: the unique name of a resource
 * (User.userName, Group.displayName, both unique case-insensitively), externalId, and that group
 * members live in their own relation.
 *
 * Every write is one transaction. Uniqueness is enforced by the database (unique index), never by
 * check-then-insert: a violation surfaces as ScimError(409, "uniqueness").
 */
import type { FilterNode } from "../scim/filter/ast";

export type ResourceType = "User" | "Group";

/**
 * A resource's SCIM attributes as stored: everything the client sent that the schema knows
 * (userName, name, emails, the enterprise extension under its URN key, …) except `id`, `meta`,
 * `schemas` and, for groups, `members`, which the store keeps relationally.
 */
export type ResourceDocument = { readonly [attribute: string]: unknown };

export interface MemberRef {
  /** id of the member resource. */
  readonly value: string;
  readonly type: ResourceType;
  /** userName of a User member, displayName of a Group member. */
  readonly display: string;
}

export interface StoredResource {
  readonly id: string;
  readonly type: ResourceType;
  readonly document: ResourceDocument;
  /** Incremented by every successful write; rendered as meta.version `W/"<n>"`. */
  readonly version: number;
  readonly created: Date;
  readonly lastModified: Date;
  /** Groups only, and only when the caller asked for members (`includeMembers`). */
  readonly members?: readonly MemberRef[];
}

/** Membership changes, applied in order inside the write's transaction. */
export type MemberOperation =
  | { readonly op: "add"; readonly ids: readonly string[] }
  | { readonly op: "remove"; readonly ids: readonly string[] }
  | { readonly op: "removeAll" };

export interface NewResource {
  readonly type: ResourceType;
  readonly document: ResourceDocument;
  /** Initial members of a group (ids). Unknown ids → ScimError(400, "invalidValue"), nothing written. */
  readonly members?: readonly string[];
}

/**
 * What a mutation decided. `document` replaces the stored document when given (omit it when only
 * members change); memberOps are applied relationally — adding or removing one member costs the
 * same whatever the group's size. Unknown member ids → ScimError(400, "invalidValue") and the whole
 * write is rolled back. Removing a member that is not there is not an error.
 */
export interface Mutation {
  readonly document?: ResourceDocument;
  readonly memberOps?: readonly MemberOperation[];
}

export interface QueryOptions {
  readonly filter?: FilterNode;
  /** 1-based, RFC 7644 §3.4.2.4. */
  readonly startIndex: number;
  /** Page size; 0 returns only totalResults. */
  readonly count: number;
  /** Read members of groups. `excludedAttributes=members` must never read them. */
  readonly includeMembers: boolean;
}

export interface QueryResult {
  /** Number of resources matching the filter, across all pages. */
  readonly totalResults: number;
  /** The page, in a stable order (creation order). */
  readonly resources: readonly StoredResource[];
}

export interface Store {
  /** Brings the schema to the latest migration. Safe when several replicas call it at once. */
  migrate(): Promise<void>;
  /** Resolves when the database answers; rejects otherwise (drives /readyz). */
  ping(): Promise<void>;
  /** Waits for in-flight work, then releases connections and files. */
  close(): Promise<void>;

  create(resource: NewResource): Promise<StoredResource>;
  get(
    type: ResourceType,
    id: string,
    options: { includeMembers: boolean },
  ): Promise<StoredResource | undefined>;
  query(type: ResourceType, options: QueryOptions): Promise<QueryResult>;
  /**
   * Read-modify-write of one resource, serialised against every other write to it (row lock or
   * database write lock), across processes. `mutate` is pure and synchronous; it sees the current
   * resource without members and may throw a ScimError to abort. Returns the resource after the write,
   * with members when `includeMembers`. Returns undefined when the resource does not exist.
   * `expectedVersion` (If-Match) → ScimError(412) when the stored version differs.
   */
  update(
    type: ResourceType,
    id: string,
    mutate: (current: StoredResource) => Mutation,
    options: { includeMembers: boolean; expectedVersion?: number },
  ): Promise<StoredResource | undefined>;
  /** Deletes the resource and every membership it takes part in. false when it did not exist. */
  delete(type: ResourceType, id: string): Promise<boolean>;
}

/** The database went away or timed out: the HTTP layer answers 503, /readyz fails, nothing crashes. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreUnavailableError";
  }
}
