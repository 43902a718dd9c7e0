/**
 * The embedded engine: one SQLite file through better-sqlite3 (synchronous; every call is short).
 *
 * Connection setup, and why:
 * - journal_mode=WAL: readers never block the writer, and several processes can share the file
 *   (storage-engines.md: two writer processes → 40,000 of 40,000 rows, integrity check clean).
 * - synchronous=FULL: a commit is fsynced before it is acknowledged, so an acknowledged write also
 *   survives power loss or an OS crash, not just kill -9 (with NORMAL in WAL mode, kill -9 loses
 *   nothing but power loss can drop the last commits) — the same promise PostgreSQL makes with its
 *   default synchronous_commit=on. Entra does not resend a write it saw succeed, so a lost
 *   acknowledged write is a silent divergence until the next full cycle. Cost: storage-engines.md
 *   measured FULL at 5.6k–9.0k creates/s (NORMAL 18.9k–22.3k) on a quiet machine; with the team's
 *   tests running (load average 15–19, fsync 2–5 ms), test/store/measure-throughput.ts gave FULL
 *   186–220 creates/s and 170–480 patches/s (NORMAL 3.1k–4.6k / 4.8k–5.2k; PostgreSQL 166–240 /
 *   129–162 with one caller). Even that worst case is ~7× the 25 requests/s per tenant Entra expects
 *   (entra-scim-wire.md), so durability wins. `synchronous: "NORMAL"` exists for
 *   throwaway data. Those figures are one caller; concurrent writers share fsyncs through group
 *   commit (below): test/store/sqlite/measure-group-commit.ts gave 272 / 2,868 / 7,223 creates/s
 *   with 1 / 16 / 64 callers (load average 11.7), and `npm run bench` went from 1,463 to
 *   3,025–3,585 Entra operations/s at load average 5–7 (NOTES.md, performance, 14:30 UTC).
 * - busy timeout: a second process holding the write lock makes us wait, not fail.
 * - foreign_keys=ON: group_members cascades and rejects unknown ids (SQLite defaults to OFF).
 * - case_sensitive_like=ON: filters fold case explicitly (caseExact=false), LIKE must not.
 * Writes go through group commit (group-commit.ts): the writes that arrive together share one
 * `BEGIN IMMEDIATE … COMMIT` (one fsync), each inside its own SAVEPOINT so that a failing write rolls
 * back alone, and every caller is answered only after that COMMIT returned. BEGIN IMMEDIATE takes the
 * write lock before reading, so a read-modify-write in another process waits instead of interleaving.
 */
import Database from "better-sqlite3";
import type {
  MemberOperation,
  MemberRef,
  Mutation,
  NewResource,
  QueryOptions,
  QueryResult,
  ResourceDocument,
  ResourceType,
  Store,
  StoredResource,
} from "../contract";
import { StoreUnavailableError } from "../contract";
import { listQueryParts } from "../filter/compile-filter";
import {
  simpleLowerCase,
  sqliteDialect,
  sqliteParameters,
  UNICODE_LOWER_FUNCTION,
} from "../filter/sqlite-dialect";
import { sqliteMigrations } from "../migrations/sqlite";
import { indexedColumnsOf } from "../resource-columns";
import { newResourceId } from "../resource-id";
import {
  membersOfUserError,
  nameTakenError,
  unknownMembersError,
  versionMismatchError,
} from "../store-errors";
import { GroupCommit } from "./group-commit";

export interface SqliteStoreOptions {
  /** See the file comment; NORMAL exists for benchmarks and throwaway data. @default "FULL" */
  readonly synchronous?: "FULL" | "NORMAL";
  /** How long a write waits for another process's write lock. @default 5000 */
  readonly busyTimeoutMs?: number;
  /** Called with every SQL statement executed (tests use it to prove what a call reads). */
  readonly onSql?: (sql: string) => void;
  /** Called after each write transaction commits, with the number of writes it carried. */
  readonly onCommit?: (writes: number) => void;
  /** Most writes one transaction (one fsync) carries; see group-commit.ts. @default 256 */
  readonly maxBatchSize?: number;
}

interface ResourceRow {
  id: string;
  type: ResourceType;
  version: number;
  created: string;
  last_modified: string;
  document: string;
}

interface MemberRow {
  group_id: string;
  id: string;
  type: ResourceType;
  name: string;
}

/** Dynamic (filter) statements are cached too, up to this many distinct SQL texts. */
const STATEMENT_CACHE_LIMIT = 500;

export class SqliteStore implements Store {
  private readonly database: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly writes: GroupCommit;
  /**
   * Runs `work` in one (deferred) read transaction, so that several statements see one snapshot.
   * Made once: better-sqlite3's `database.transaction(fn)` builds a new wrapper per call, which cost
   * ~6 % of a lookup's CPU when called per read.
   */
  private readonly inSnapshot: <T>(work: () => T) => T;
  private closed = false;

  constructor(filename: string, options: SqliteStoreOptions = {}) {
    this.database = new Database(filename, {
      timeout: options.busyTimeoutMs ?? 5000,
      ...(options.onSql ? { verbose: (sql: unknown) => options.onSql!(String(sql)) } : {}),
    });
    this.database.pragma("journal_mode = WAL");
    this.database.pragma(`synchronous = ${options.synchronous === "NORMAL" ? "NORMAL" : "FULL"}`);
    this.database.pragma("foreign_keys = ON");
    this.database.pragma("case_sensitive_like = ON");
    this.database.function(UNICODE_LOWER_FUNCTION, { deterministic: true }, (value: unknown) =>
      typeof value === "string" ? simpleLowerCase(value) : value,
    );
    const snapshot = this.database.transaction((work: () => unknown) => work());
    this.inSnapshot = <T>(work: () => T): T => snapshot(work) as T;
    this.writes = new GroupCommit(this.database, {
      mapError: toStoreError,
      ...(options.maxBatchSize !== undefined ? { maxBatchSize: options.maxBatchSize } : {}),
      ...(options.onCommit ? { onCommit: options.onCommit } : {}),
    });
  }

  async migrate(): Promise<void> {
    this.run(() => {
      this.database
        .transaction(() => {
          this.database.exec(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
          );
          const applied = new Set(
            (
              this.database.prepare("SELECT version FROM schema_migrations").all() as { version: number }[]
            ).map((row) => row.version),
          );
          for (const migration of sqliteMigrations) {
            if (applied.has(migration.version)) continue;
            this.database.exec(migration.sql);
            this.database
              .prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)")
              .run(migration.version, migration.name, new Date().toISOString());
          }
        })
        .immediate();
    });
  }

  async ping(): Promise<void> {
    this.run(() => this.statement("SELECT 1").get());
  }

  /** Commits the writes still queued (their callers get their answers), then closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.writes.flush();
    this.closed = true;
    this.statements.clear();
    this.database.close();
  }

  async create(resource: NewResource): Promise<StoredResource> {
    const columns = indexedColumnsOf(resource.type, resource.document);
    if (resource.members?.length && resource.type !== "Group") throw membersOfUserError();
    const id = newResourceId();
    const now = new Date().toISOString();
    const document = JSON.stringify(resource.document);
    return this.write(() => {
      try {
        this.statement(
          `INSERT INTO resources (id, type, name, name_lower, external_id, active, version, created, last_modified, document)
               VALUES (@id, @type, @name, @nameLower, @externalId, @active, 1, @now, @now, @document)`,
        ).run({
          id,
          type: resource.type,
          name: columns.name,
          nameLower: columns.nameLower,
          externalId: columns.externalId,
          active: columns.active === null ? null : Number(columns.active),
          now,
          document,
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw nameTakenError(resource.type, columns.name);
        throw error;
      }
      if (resource.members?.length) this.addMembers(id, resource.members);
      // Exactly the row just inserted; no need to SELECT it back (one statement less per create).
      return toResource(
        { id, type: resource.type, version: 1, created: now, last_modified: now, document },
        undefined,
      );
    });
  }

  async get(
    type: ResourceType,
    id: string,
    options: { includeMembers: boolean },
  ): Promise<StoredResource | undefined> {
    // One read transaction: the resource and its members come from the same snapshot.
    return this.run(() => this.inSnapshot(() => this.read(type, id, options.includeMembers)));
  }

  async query(type: ResourceType, options: QueryOptions): Promise<QueryResult> {
    const { where, window, limit, offset, parameters } = listQueryParts(sqliteDialect, type, options);
    const bound = sqliteParameters(parameters.values);
    return this.run(() =>
      this.inSnapshot(() => {
        const { total } = this.statement(`SELECT count(*) AS total FROM resources r WHERE ${where}`).get(
          bound,
        ) as {
          total: number;
        };
        if (window.limit === 0 || total === 0) return { totalResults: total, resources: [] };
        const rows = this.statement(
          `SELECT r.id, r.type, r.version, r.created, r.last_modified, r.document FROM resources r
           WHERE ${where} ORDER BY r.created, r.id LIMIT ${limit} OFFSET ${offset}`,
        ).all(bound) as ResourceRow[];
        const members =
          type === "Group" && options.includeMembers ? this.membersOf(rows.map((row) => row.id)) : undefined;
        return {
          totalResults: total,
          resources: rows.map((row) => toResource(row, members ? (members.get(row.id) ?? []) : undefined)),
        };
      }),
    );
  }

  async update(
    type: ResourceType,
    id: string,
    mutate: (current: StoredResource) => Mutation,
    options: { includeMembers: boolean; expectedVersion?: number },
  ): Promise<StoredResource | undefined> {
    return this.write(() => {
      const current = this.read(type, id, false);
      if (!current) return undefined;
      if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) {
        throw versionMismatchError(current.version, options.expectedVersion);
      }
      const mutation = mutate(current);
      if (!changes(mutation)) return options.includeMembers ? this.read(type, id, true) : current;
      this.applyDocument(type, id, mutation.document);
      for (const operation of mutation.memberOps ?? []) {
        if (type !== "Group") throw membersOfUserError();
        this.applyMemberOperation(id, operation);
      }
      return this.read(type, id, options.includeMembers);
    });
  }

  async delete(type: ResourceType, id: string): Promise<boolean> {
    return this.write(
      () => this.statement("DELETE FROM resources WHERE id = ? AND type = ?").run(id, type).changes > 0,
    );
  }

  // --- inside transactions ----------------------------------------------------------------------

  private read(type: ResourceType, id: string, includeMembers: boolean): StoredResource | undefined {
    const row = this.statement(
      "SELECT id, type, version, created, last_modified, document FROM resources WHERE id = ? AND type = ?",
    ).get(id, type) as ResourceRow | undefined;
    if (!row) return undefined;
    const members = type === "Group" && includeMembers ? (this.membersOf([id]).get(id) ?? []) : undefined;
    return toResource(row, members);
  }

  /** Members of the given groups, in the members' creation order. */
  private membersOf(groupIds: readonly string[]): Map<string, MemberRef[]> {
    const byGroup = new Map<string, MemberRef[]>();
    if (groupIds.length === 0) return byGroup;
    const rows = this.statement(
      `SELECT gm.group_id, m.id, m.type, m.name FROM group_members gm JOIN resources m ON m.id = gm.member_id
       WHERE gm.group_id IN (SELECT value FROM json_each(?)) ORDER BY gm.group_id, m.created, m.id`,
    ).all(JSON.stringify(groupIds)) as MemberRow[];
    for (const row of rows) {
      const list = byGroup.get(row.group_id) ?? [];
      list.push({ value: row.id, type: row.type, display: row.name });
      byGroup.set(row.group_id, list);
    }
    return byGroup;
  }

  private applyDocument(type: ResourceType, id: string, document: ResourceDocument | undefined): void {
    const now = new Date().toISOString();
    if (!document) {
      this.statement("UPDATE resources SET version = version + 1, last_modified = ? WHERE id = ?").run(
        now,
        id,
      );
      return;
    }
    const columns = indexedColumnsOf(type, document);
    try {
      this.statement(
        `UPDATE resources SET name = @name, name_lower = @nameLower, external_id = @externalId, active = @active,
           document = @document, version = version + 1, last_modified = @now WHERE id = @id`,
      ).run({
        id,
        name: columns.name,
        nameLower: columns.nameLower,
        externalId: columns.externalId,
        active: columns.active === null ? null : Number(columns.active),
        document: JSON.stringify(document),
        now,
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTakenError(type, columns.name);
      throw error;
    }
  }

  private applyMemberOperation(groupId: string, operation: MemberOperation): void {
    switch (operation.op) {
      case "add":
        this.addMembers(groupId, operation.ids);
        return;
      case "remove": {
        const remove = this.statement("DELETE FROM group_members WHERE group_id = ? AND member_id = ?");
        for (const memberId of new Set(operation.ids)) remove.run(groupId, memberId);
        return;
      }
      case "removeAll":
        this.statement("DELETE FROM group_members WHERE group_id = ?").run(groupId);
        return;
    }
  }

  /** Checks every id first so the error names the unknown ones; the caller's transaction rolls back. */
  private addMembers(groupId: string, ids: readonly string[]): void {
    const unique = [...new Set(ids)];
    const exists = this.statement("SELECT 1 FROM resources WHERE id = ?");
    const unknown = unique.filter((memberId) => exists.get(memberId) === undefined);
    if (unknown.length > 0) throw unknownMembersError(unknown);
    const insert = this.statement("INSERT OR IGNORE INTO group_members (group_id, member_id) VALUES (?, ?)");
    for (const memberId of unique) insert.run(groupId, memberId);
  }

  // --- plumbing ---------------------------------------------------------------------------------

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.database.prepare(sql);
      if (this.statements.size >= STATEMENT_CACHE_LIMIT) {
        this.statements.delete(this.statements.keys().next().value!);
      }
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs `work`, turning "cannot reach the database" conditions into StoreUnavailableError. */
  private run<T>(work: () => T): T {
    if (this.closed) throw new StoreUnavailableError("the SQLite store is closed");
    try {
      return work();
    } catch (error) {
      throw toStoreError(error);
    }
  }

  /**
   * Queues a write for the next group commit (its transaction and savepoint are group-commit.ts's);
   * resolves once the COMMIT carrying it returned.
   */
  private write<T>(work: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new StoreUnavailableError("the SQLite store is closed"));
    return this.writes.submit(work);
  }
}

function toStoreError(error: unknown): unknown {
  if (isUnavailable(error) && !(error instanceof StoreUnavailableError)) {
    return new StoreUnavailableError(`SQLite database unavailable: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return error;
}

function changes(mutation: Mutation): boolean {
  return mutation.document !== undefined || (mutation.memberOps?.length ?? 0) > 0;
}

function toResource(row: ResourceRow, members: MemberRef[] | undefined): StoredResource {
  return {
    id: row.id,
    type: row.type,
    document: JSON.parse(row.document) as ResourceDocument,
    version: row.version,
    created: new Date(row.created),
    lastModified: new Date(row.last_modified),
    ...(members ? { members } : {}),
  };
}

function sqliteCode(error: unknown): string | undefined {
  return error instanceof Database.SqliteError ? error.code : undefined;
}

function isUniqueViolation(error: unknown): boolean {
  return sqliteCode(error) === "SQLITE_CONSTRAINT_UNIQUE";
}

/** Lock timeouts, full disks, I/O errors, read-only or vanished files: the store is unavailable. */
function isUnavailable(error: unknown): boolean {
  const code = sqliteCode(error) ?? "";
  return /^SQLITE_(BUSY|LOCKED|FULL|IOERR|READONLY|CANTOPEN|CORRUPT|NOTADB|PROTOCOL)/.test(code);
}
