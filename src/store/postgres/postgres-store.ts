/**
 * The PostgreSQL engine (Azure Database for PostgreSQL in production): a `pg` pool shared by the
 * replica's requests; several replicas share the database.
 *
 * - Uniqueness is the unique index's job (23505 → 409); nothing checks-then-inserts.
 * - update() first tries without a lock: read, decide, then one statement that writes only if the
 *   version read is still current (updateInOneStatement). If another writer got there first, it redoes
 *   the write under the row lock, `SELECT … FOR NO KEY UPDATE`: every writer of the row waits its turn
 *   (as with FOR UPDATE), but foreign-key checks of concurrent member additions that reference the
 *   row (FOR KEY SHARE) are not blocked, so "add user to group A" and "rename user" cannot deadlock.
 *   Deadlocks and serialization failures that still happen are retried.
 * - Migrations run under a session advisory lock, so replicas starting together apply them once.
 * - The server going away never crashes the process: idle-client errors are absorbed by the pool's
 *   'error' listener, calls fail with StoreUnavailableError, and the pool reconnects by itself.
 */
import type { TokenCredential } from "@azure/identity";
import pg from "pg";
import { parseIntoClientConfig } from "pg-connection-string";
import type { ScimType } from "../../scim/errors";
import { type DatabaseAuth, StoreConfigError } from "../config";
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
import { postgresDialect } from "../filter/postgres-dialect";
import { postgresMigrations } from "../migrations/postgres";
import { indexedColumnsOf } from "../resource-columns";
import { newResourceId } from "../resource-id";
import {
  membersOfUserError,
  nameTakenError,
  unknownMembersError,
  versionMismatchError,
} from "../store-errors";
import { azureDatabaseCredential, tokenPassword } from "./azure-token-password";
import {
  isRetryable,
  isStalePreparedStatement,
  missingKeyOf,
  sqlStateOf,
  translatePostgresError,
} from "./postgres-errors";

export interface PostgresStoreOptions {
  readonly connectionString: string;
  /** "azure": the password is a Microsoft Entra token (azure-token-password.ts). @default "password" */
  readonly auth?: DatabaseAuth;
  readonly azureClientId?: string | undefined;
  /** Replaces the managed identity credential in "azure" mode (tests). */
  readonly credential?: TokenCredential | undefined;
  /** @default 10 */
  readonly poolSize?: number | undefined;
  /**
   * Waiting for a connection (new or from the pool) longer than this fails with 503. node-postgres uses
   * one timeout for both connecting and queueing for a busy pool, so it must cover a burst queueing
   * behind row locks (1,000 concurrent member additions to one group) yet stay below the HTTP request
   * timeout (20 s), so a black-holed database still yields the store's 503. A refused connection fails
   * at once regardless. @default 15000
   */
  readonly connectionTimeoutMs?: number;
  /** Server-side statement_timeout. @default 15000 */
  readonly statementTimeoutMs?: number;
  /** Called with the SQL text of every statement (tests use it to prove what a call reads). */
  readonly onSql?: (sql: string) => void;
  /** Called when an idle pooled connection fails (e.g. the server restarted); for logging. */
  readonly onPoolError?: (error: Error) => void;
}

/** pg_advisory_lock key for migrations: any fixed bigint unique to scimkit ("scim" in ASCII). */
const MIGRATION_LOCK_KEY = "1935895917";
const TRANSACTION_ATTEMPTS = 5;

interface ResourceRow {
  id: string;
  type: ResourceType;
  version: number;
  created: Date;
  last_modified: Date;
  document: ResourceDocument;
  members?: MemberRef[] | null;
}

const RESOURCE_COLUMNS = "r.id, r.type, r.version, r.created, r.last_modified, r.document";
/** Members as one JSON array per group, in the members' creation order. Only selected when asked. */
const MEMBERS_COLUMN = `(SELECT coalesce(json_agg(json_build_object('value', m.id, 'type', m.type, 'display', m.name)
  ORDER BY m.created, m.id), '[]'::json) FROM group_members gm JOIN resources m ON m.id = gm.member_id
  WHERE gm.group_id = r.id) AS members`;

type Queryable = pg.Pool | pg.PoolClient;

export class PostgresStore implements Store {
  private readonly pool: pg.Pool;
  private readonly onSql: ((sql: string) => void) | undefined;
  private readonly guardedClients = new WeakSet<pg.PoolClient>();
  private readonly statementNames = new PreparedStatementNames();
  private schemaReady: Promise<void> | undefined;
  private closing: Promise<void> | undefined;

  constructor(options: PostgresStoreOptions) {
    this.onSql = options.onSql;
    this.pool = new pg.Pool({
      ...connectionConfig(options),
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectionTimeoutMs ?? 15_000,
      idleTimeoutMillis: 30_000,
      statement_timeout: options.statementTimeoutMs ?? 15_000,
      // Client-side too: a connection black-holed by the network never answers, and the server-side
      // timeout cannot fire for it. The failed client is destroyed, not reused (transaction()).
      query_timeout: (options.statementTimeoutMs ?? 15_000) + 5_000,
      keepAlive: true,
      application_name: "scimkit",
    });
    // Without a listener, an idle connection dropped by the server would crash the process
    // (node-postgres docs, "Pool: events: error"). The pool has already discarded the client.
    this.pool.on("error", (error) => options.onPoolError?.(error));
  }

  async migrate(): Promise<void> {
    await this.call("invalidValue", () => this.ensureSchema());
  }

  async ping(): Promise<void> {
    await this.call("invalidValue", async () => {
      await this.ensureSchema();
      await this.execute(this.pool, "SELECT 1");
    });
  }

  async close(): Promise<void> {
    this.closing ??= this.pool.end();
    await this.closing;
  }

  async create(resource: NewResource): Promise<StoredResource> {
    const columns = indexedColumnsOf(resource.type, resource.document);
    if (resource.members?.length && resource.type !== "Group") throw membersOfUserError();
    const now = new Date();
    // Without members the INSERT is the whole write: one autocommitted statement, no BEGIN/COMMIT round trips.
    const inTransaction = resource.members?.length
      ? <T>(work: (client: Queryable) => Promise<T>) => this.transaction(work)
      : async <T>(work: (client: Queryable) => Promise<T>) => {
          await this.ensureSchema();
          return work(this.pool);
        };
    return this.call("invalidValue", () =>
      inTransaction(async (client) => {
        let row: ResourceRow;
        try {
          const result = await this.execute<ResourceRow>(
            client,
            `INSERT INTO resources AS r (id, type, name, name_lower, external_id, active, version, created, last_modified, document)
             VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7, $8) RETURNING ${RESOURCE_COLUMNS}`,
            [
              newResourceId(),
              resource.type,
              columns.name,
              columns.nameLower,
              columns.externalId,
              columns.active,
              now,
              resource.document,
            ],
          );
          row = result.rows[0]!;
        } catch (error) {
          if (sqlStateOf(error) === "23505") throw nameTakenError(resource.type, columns.name);
          throw error;
        }
        if (resource.members?.length) {
          await this.addMembers(client as pg.PoolClient, row.id, resource.members);
        }
        return toResource(row);
      }),
    );
  }

  async get(
    type: ResourceType,
    id: string,
    options: { includeMembers: boolean },
  ): Promise<StoredResource | undefined> {
    return this.call("invalidValue", async () => {
      await this.ensureSchema();
      // One statement, so the resource and its members come from the same snapshot.
      const withMembers = type === "Group" && options.includeMembers;
      const result = await this.execute<ResourceRow>(
        this.pool,
        `SELECT ${RESOURCE_COLUMNS}${withMembers ? `, ${MEMBERS_COLUMN}` : ""}
         FROM resources r WHERE r.id = $1 AND r.type = $2`,
        [id, type],
      );
      return result.rows[0] ? toResource(result.rows[0]) : undefined;
    });
  }

  async query(type: ResourceType, options: QueryOptions): Promise<QueryResult> {
    const { where, limit, offset, parameters } = listQueryParts(postgresDialect, type, options);
    const withMembers = type === "Group" && options.includeMembers;
    return this.call("invalidFilter", async () => {
      await this.ensureSchema();
      // Count and page in one statement (one snapshot, one round trip): the count always yields a row,
      // joined to the page's rows, or to nulls when the page is empty. Entra's filters match 0 or 1 rows.
      const result = await this.execute<ResourceRow & { total: string }>(
        this.pool,
        `SELECT counted.total, page.* FROM (SELECT count(*) AS total FROM resources r WHERE ${where}) counted
         LEFT JOIN (SELECT ${RESOURCE_COLUMNS}${withMembers ? `, ${MEMBERS_COLUMN}` : ""} FROM resources r
           WHERE ${where} ORDER BY r.created, r.id LIMIT ${limit} OFFSET ${offset}) page ON true
         ORDER BY page.created, page.id`,
        parameters.values,
      );
      const total = Number(result.rows[0]!.total);
      const rows = result.rows.filter((row) => row.id !== null);
      return { totalResults: total, resources: rows.map(toResource) };
    });
  }

  async update(
    type: ResourceType,
    id: string,
    mutate: (current: StoredResource) => Mutation,
    options: { includeMembers: boolean; expectedVersion?: number },
  ): Promise<StoredResource | undefined> {
    return this.call("invalidValue", async () => {
      if (!(options.includeMembers && type === "Group")) {
        const written = await this.updateInOneStatement(type, id, mutate, options);
        if (written !== TAKE_THE_LOCK) return written;
      }
      return this.updateUnderLock(type, id, mutate, options);
    });
  }

  /**
   * The common write (an attribute PATCH, one member addition or removal) in two round trips instead of
   * five: read without a lock, decide, then one autocommitted statement that writes only if the row
   * still has the version that was read — so the outcome is the same as under the lock. When another
   * writer got there first (or a deadlock was detected), the caller redoes the write under the lock
   * rather than retrying here: under contention waiting in line is cheaper than repeated attempts.
   * Several member operations in one PATCH (Entra's "replace members") also take the lock: one
   * statement cannot apply them in order. So does a member change with a rename (see below).
   */
  private async updateInOneStatement(
    type: ResourceType,
    id: string,
    mutate: (current: StoredResource) => Mutation,
    options: { expectedVersion?: number },
  ): Promise<StoredResource | undefined | typeof TAKE_THE_LOCK> {
    await this.ensureSchema();
    const decided = await this.readAndDecide(this.pool, "", type, id, mutate, options);
    if (!decided) return undefined;
    const { current, mutation } = decided;
    if (!changes(mutation)) return current;
    const memberOps = mutation.memberOps ?? [];
    const memberOp = memberOps[0];
    if (memberOp !== undefined) {
      // The locked path decides these, so that a write breaking two rules reports the same one on either
      // path (it checks the name's uniqueness before the members): member operations on a user, several of
      // them, and a member change together with a rename.
      if (type !== "Group" || memberOps.length > 1 || memberOp.op === "removeAll") return TAKE_THE_LOCK;
      if (mutation.document && renames(type, current.document, mutation.document)) return TAKE_THE_LOCK;
    }

    const { assignments, values } = resourceAssignments(type, mutation.document, current.version);
    let row: (ResourceRow & { unknown?: string[] | null; current?: boolean }) | undefined;
    try {
      if (memberOp === undefined) {
        row = await this.applyDocument(this.pool, current, mutation.document);
      } else if (memberOp.op === "remove") {
        row = (
          await this.execute<ResourceRow>(
            this.pool,
            `WITH updated AS (${conditionalUpdate(assignments)} RETURNING ${RESOURCE_COLUMNS}), removed AS (
               DELETE FROM group_members WHERE group_id = $1 AND member_id = ANY($${values.length + 2}::text[])
                 AND EXISTS (SELECT 1 FROM updated)
             )
             SELECT * FROM updated`,
            [id, ...values, [...new Set(memberOp.ids)]],
          )
        ).rows[0];
      } else {
        // As addMembers(): the ids that name no resource are reported and then nothing is written.
        // `current` says whether the version read is still the one in the statement's snapshot: if not,
        // the resource changed (or went) meanwhile and the locked path answers as it would in that order
        // (If-Match's 412, or 404), rather than reporting members of a state that no longer exists.
        row = (
          await this.execute<ResourceRow & { unknown: string[] | null; current: boolean }>(
            this.pool,
            `WITH ${memberCandidates(`$${values.length + 2}`)}, updated AS (
               ${conditionalUpdate(assignments, " AND NOT EXISTS (SELECT 1 FROM unknown)")} RETURNING ${RESOURCE_COLUMNS}
             ), inserted AS (
               INSERT INTO group_members (group_id, member_id)
               SELECT $1, candidate.id FROM candidate WHERE EXISTS (SELECT 1 FROM updated)
               ON CONFLICT DO NOTHING
             )
             SELECT updated.*, (SELECT array_agg(unknown.id ORDER BY unknown.position) FROM unknown) AS unknown,
               EXISTS (SELECT 1 FROM resources s WHERE s.id = $1 AND s.version = $2) AS current
             FROM (VALUES (1)) AS one (x) LEFT JOIN updated ON true`,
            [id, ...values, [...new Set(memberOp.ids)]],
          )
        ).rows[0];
        if (row?.unknown) {
          if (!row.current) return TAKE_THE_LOCK;
          throw unknownMembersError(row.unknown);
        }
      }
    } catch (error) {
      const state = sqlStateOf(error);
      if (state === "23505") throw nameTakenError(type, indexedColumnsOf(type, mutation.document!).name);
      if (state === "23503") throw unknownMembersError([missingKeyOf(error) ?? "(deleted meanwhile)"]);
      if (isRetryable(error)) return TAKE_THE_LOCK;
      throw error;
    }
    // No row: another writer changed (or deleted) the resource since it was read.
    return row?.id ? toResource(row) : TAKE_THE_LOCK;
  }

  /**
   * Read, decide and write in one transaction holding the row lock: no other writer can get in between,
   * so nothing is redone (except after a deadlock); costs four round trips plus one per member operation.
   */
  private updateUnderLock(
    type: ResourceType,
    id: string,
    mutate: (current: StoredResource) => Mutation,
    options: { includeMembers: boolean; expectedVersion?: number },
  ): Promise<StoredResource | undefined> {
    return this.transaction(async (client) => {
      const decided = await this.readAndDecide(client, " FOR NO KEY UPDATE", type, id, mutate, options);
      if (!decided) return undefined;
      const { current, mutation } = decided;
      if (!changes(mutation)) {
        return options.includeMembers && type === "Group" ? this.readInside(client, type, id, true) : current;
      }
      // Under the lock the version read is still current: the UPDATE always finds its row.
      const updated = (await this.applyDocument(client, current, mutation.document))!;
      for (const operation of mutation.memberOps ?? []) {
        if (type !== "Group") throw membersOfUserError();
        await this.applyMemberOperation(client, id, operation);
      }
      // Member operations do not touch the resource row: the UPDATE's RETURNING is already its final
      // state, so only an answer that shows members reads again.
      return options.includeMembers && type === "Group"
        ? this.readInside(client, type, id, true)
        : toResource(updated);
    });
  }

  async delete(type: ResourceType, id: string): Promise<boolean> {
    return this.call("invalidValue", async () => {
      await this.ensureSchema();
      // group_members rows go with it (ON DELETE CASCADE), in the same statement.
      const result = await this.execute(this.pool, "DELETE FROM resources WHERE id = $1 AND type = $2", [
        id,
        type,
      ]);
      return (result.rowCount ?? 0) > 0;
    });
  }

  /**
   * Reads the resource (with `lock` appended to the SELECT: nothing, or the row lock inside a
   * transaction), checks If-Match's version and asks `mutate` what to write. undefined: no such resource.
   */
  private async readAndDecide(
    target: Queryable,
    lock: "" | " FOR NO KEY UPDATE",
    type: ResourceType,
    id: string,
    mutate: (current: StoredResource) => Mutation,
    options: { expectedVersion?: number },
  ): Promise<{ current: StoredResource; mutation: Mutation } | undefined> {
    const read = await this.execute<ResourceRow>(
      target,
      `SELECT ${RESOURCE_COLUMNS} FROM resources r WHERE r.id = $1 AND r.type = $2${lock}`,
      [id, type],
    );
    if (!read.rows[0]) return undefined;
    const current = toResource(read.rows[0]);
    if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) {
      throw versionMismatchError(current.version, options.expectedVersion);
    }
    return { current, mutation: mutate(current) };
  }

  // --- inside transactions ----------------------------------------------------------------------

  private async readInside(
    client: pg.PoolClient,
    type: ResourceType,
    id: string,
    includeMembers: boolean,
  ): Promise<StoredResource> {
    const withMembers = type === "Group" && includeMembers;
    const result = await this.execute<ResourceRow>(
      client,
      `SELECT ${RESOURCE_COLUMNS}${withMembers ? `, ${MEMBERS_COLUMN}` : ""} FROM resources r WHERE r.id = $1`,
      [id],
    );
    return toResource(result.rows[0]!);
  }

  /**
   * Writes the mutation's document (or only a new version) if the row still has the version read.
   * undefined: another writer changed or deleted it since (never under the row lock).
   */
  private async applyDocument(
    target: Queryable,
    current: StoredResource,
    document: ResourceDocument | undefined,
  ): Promise<ResourceRow | undefined> {
    const { assignments, values } = resourceAssignments(current.type, document, current.version);
    try {
      const result = await this.execute<ResourceRow>(
        target,
        `${conditionalUpdate(assignments)} RETURNING ${RESOURCE_COLUMNS}`,
        [current.id, ...values],
      );
      return result.rows[0];
    } catch (error) {
      if (sqlStateOf(error) === "23505")
        throw nameTakenError(current.type, indexedColumnsOf(current.type, document!).name);
      throw error;
    }
  }

  private async applyMemberOperation(
    client: pg.PoolClient,
    groupId: string,
    operation: MemberOperation,
  ): Promise<void> {
    switch (operation.op) {
      case "add":
        await this.addMembers(client, groupId, operation.ids);
        return;
      case "remove":
        await this.execute(
          client,
          "DELETE FROM group_members WHERE group_id = $1 AND member_id = ANY($2::text[])",
          [groupId, [...new Set(operation.ids)]],
        );
        return;
      case "removeAll":
        await this.execute(client, "DELETE FROM group_members WHERE group_id = $1", [groupId]);
        return;
    }
  }

  /**
   * One statement: finds the ids that name no resource (so the error can name them) and, only when there
   * are none, inserts the rest. The foreign key still guards against a member deleted concurrently; the
   * caller's transaction rolls back either way.
   */
  private async addMembers(client: pg.PoolClient, groupId: string, ids: readonly string[]): Promise<void> {
    let unknown: pg.QueryResult<{ id: string }>;
    try {
      unknown = await this.execute<{ id: string }>(
        client,
        `WITH ${memberCandidates("$2")}, inserted AS (
           INSERT INTO group_members (group_id, member_id)
           SELECT $1, candidate.id FROM candidate WHERE NOT EXISTS (SELECT 1 FROM unknown)
           ON CONFLICT DO NOTHING
         )
         SELECT id FROM unknown ORDER BY position`,
        [groupId, [...new Set(ids)]],
      );
    } catch (error) {
      if (sqlStateOf(error) === "23503")
        throw unknownMembersError([missingKeyOf(error) ?? "(deleted meanwhile)"]);
      throw error;
    }
    if (unknown.rows.length > 0) throw unknownMembersError(unknown.rows.map((row) => row.id));
  }

  // --- plumbing ---------------------------------------------------------------------------------

  /** Runs a store call, translating driver errors (postgres-errors.ts). */
  private async call<T>(dataErrorType: ScimType, work: () => Promise<T>): Promise<T> {
    if (this.closing) throw new StoreUnavailableError("the PostgreSQL store is closed");
    try {
      return await work();
    } catch (error) {
      // A single statement on the pool failed on a stale prepared statement: the pool has already
      // discarded that connection (pg-pool releases a client with the query's error), so once more.
      if (!isStalePreparedStatement(error)) throw translatePostgresError(error, dataErrorType);
    }
    try {
      return await work();
    } catch (error) {
      throw translatePostgresError(error, dataErrorType);
    }
  }

  /** Runs the migrations once per process (again after a failure, e.g. the server was down). */
  private ensureSchema(): Promise<void> {
    this.schemaReady ??= this.runMigrations().catch((error: unknown) => {
      this.schemaReady = undefined;
      throw error;
    });
    return this.schemaReady;
  }

  private async runMigrations(): Promise<void> {
    const client = await this.connect();
    let broken: Error | undefined;
    try {
      // Session-level lock: a replica that starts while another migrates waits here, then finds
      // the versions applied. If this connection dies, the server releases the lock.
      await this.execute(client, "SELECT pg_advisory_lock($1::bigint)", [MIGRATION_LOCK_KEY]);
      try {
        await this.execute(
          client,
          `CREATE TABLE IF NOT EXISTS schema_migrations (
             version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
        );
        const applied = await this.execute<{ version: number }>(
          client,
          "SELECT version FROM schema_migrations",
        );
        const done = new Set(applied.rows.map((row) => row.version));
        for (const migration of postgresMigrations) {
          if (done.has(migration.version)) continue;
          await this.execute(client, "BEGIN");
          try {
            await this.execute(client, migration.sql);
            await this.execute(client, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [
              migration.version,
              migration.name,
            ]);
            await this.execute(client, "COMMIT");
          } catch (error) {
            await this.execute(client, "ROLLBACK").catch(() => undefined);
            throw error;
          }
        }
      } finally {
        await this.execute(client, "SELECT pg_advisory_unlock($1::bigint)", [MIGRATION_LOCK_KEY]).catch(
          (error: Error) => {
            broken = error; // destroying the connection releases the lock
          },
        );
      }
    } catch (error) {
      broken ??= error as Error;
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /**
   * One transaction on one pooled connection, retried on deadlock / serialization failure. A
   * connection that failed mid-transaction is destroyed instead of returned to the pool.
   */
  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>, begin = "BEGIN"): Promise<T> {
    await this.ensureSchema();
    for (let attempt = 1; ; attempt++) {
      const client = await this.connect();
      let broken: Error | undefined;
      try {
        await this.execute(client, begin);
        const result = await work(client);
        await this.execute(client, "COMMIT");
        return result;
      } catch (error) {
        await this.execute(client, "ROLLBACK").catch((rollbackError: Error) => {
          broken = rollbackError;
        });
        if (isStalePreparedStatement(error)) {
          // Its prepared statements would fail again on every later transaction: discard the connection.
          broken ??= error as Error;
          if (attempt < TRANSACTION_ATTEMPTS) continue;
        }
        if (isRetryable(error) && attempt < TRANSACTION_ATTEMPTS) continue;
        throw error;
      } finally {
        client.release(broken);
      }
    }
  }

  private async connect(): Promise<pg.PoolClient> {
    const client = await this.pool.connect();
    if (!this.guardedClients.has(client)) {
      // A checked-out client whose connection drops emits 'error'; the failing query reports it.
      client.on("error", () => undefined);
      this.guardedClients.add(client);
    }
    return client;
  }

  private execute<Row extends pg.QueryResultRow = pg.QueryResultRow>(
    target: Queryable,
    sql: string,
    values?: readonly unknown[],
  ): Promise<pg.QueryResult<Row>> {
    this.onSql?.(sql);
    if (values === undefined) return target.query<Row>(sql);
    const name = this.statementNames.nameOf(sql);
    return target.query<Row>(
      name === undefined ? { text: sql, values: [...values] } : { name, text: sql, values: [...values] },
    );
  }
}

/**
 * Names for parameterised statements, so node-postgres prepares each once per connection and PostgreSQL
 * skips parsing and planning on every later execution (measured under `npm run bench`: the server's
 * parse/plan of the list query was a large share of its CPU per request). Statements without parameters
 * (BEGIN, COMMIT, migrations, which may hold several statements) are never prepared. Filters compile to
 * many texts, so only the first MAXIMUM texts get a name: a hostile stream of distinct filters cannot make
 * every connection hold an unbounded number of prepared statements; later texts run unnamed as before.
 */
class PreparedStatementNames {
  private static readonly MAXIMUM = 256;
  private readonly names = new Map<string, string>();

  nameOf(sql: string): string | undefined {
    const known = this.names.get(sql);
    if (known !== undefined || this.names.size >= PreparedStatementNames.MAXIMUM) return known;
    const name = `scimkit_${this.names.size + 1}`;
    this.names.set(sql, name);
    return name;
  }
}

/** Pool connection settings; in "azure" mode the password is a token function, never a secret. */
function connectionConfig(options: PostgresStoreOptions): pg.PoolConfig {
  if (options.auth !== "azure") return { connectionString: options.connectionString };
  // pg lets the connection string override explicit fields (an absent password parses as ""), so
  // parse it here and set the password function afterwards.
  const config = parseIntoClientConfig(options.connectionString);
  if (config.password) {
    throw new StoreConfigError(
      "DATABASE_URL must not contain a password when DATABASE_AUTH=azure; the managed identity's token is the password",
    );
  }
  if (!config.user) {
    throw new StoreConfigError(
      "DATABASE_URL needs the database role of the managed identity as its user when DATABASE_AUTH=azure (postgres://<role>@host/db?sslmode=require)",
    );
  }
  const credential = options.credential ?? azureDatabaseCredential(options.azureClientId);
  return { ...(config as pg.PoolConfig), password: tokenPassword(credential) };
}

/** Whether the write changes the resource's unique name (userName / displayName, compared as indexed). */
function renames(type: ResourceType, before: ResourceDocument, after: ResourceDocument): boolean {
  return indexedColumnsOf(type, before).nameLower !== indexedColumnsOf(type, after).nameLower;
}

/** updateInOneStatement() could not write without the row lock: redo the write under it. */
const TAKE_THE_LOCK = Symbol("take the lock");

/**
 * The UPDATE of a resource row that applies only if the row still has the version read ($2): without the
 * lock this is what detects another writer; under it the condition always holds. One text for both paths.
 */
function conditionalUpdate(assignments: string, alsoRequire = ""): string {
  return `UPDATE resources AS r SET ${assignments} WHERE r.id = $1 AND r.version = $2${alsoRequire}`;
}

/**
 * CTEs `candidate` (the ids in the text[] parameter `idsParameter`, with their positions) and `unknown`
 * (those naming no resource), for member additions that report unknown ids in request order.
 */
function memberCandidates(idsParameter: string): string {
  return `candidate AS (
      SELECT c.id, c.position FROM unnest(${idsParameter}::text[]) WITH ORDINALITY AS c(id, position)
    ), unknown AS (
      SELECT candidate.id, candidate.position FROM candidate
      WHERE NOT EXISTS (SELECT 1 FROM resources m WHERE m.id = candidate.id)
    )`;
}

/**
 * The SET list of conditionalUpdate() and its values, numbered from $3 ($1 is the id, $2 the version
 * that was read). Without a document only the version and timestamp move (a membership change).
 */
function resourceAssignments(
  type: ResourceType,
  document: ResourceDocument | undefined,
  readVersion: number,
): { assignments: string; values: unknown[] } {
  const now = new Date();
  if (!document) {
    return { assignments: "version = r.version + 1, last_modified = $3", values: [readVersion, now] };
  }
  const columns = indexedColumnsOf(type, document);
  return {
    assignments:
      "name = $3, name_lower = $4, external_id = $5, active = $6, document = $7, version = r.version + 1, last_modified = $8",
    values: [readVersion, columns.name, columns.nameLower, columns.externalId, columns.active, document, now],
  };
}

function changes(mutation: Mutation): boolean {
  return mutation.document !== undefined || (mutation.memberOps?.length ?? 0) > 0;
}

function toResource(row: ResourceRow): StoredResource {
  return {
    id: row.id,
    type: row.type,
    document: row.document,
    version: row.version,
    created: row.created,
    lastModified: row.last_modified,
    ...(row.members ? { members: row.members } : {}),
  };
}
