/**
 * The two storage engines the robustness suites run against, each able to hand out a fresh database
 * and to check it for damage after the service has been killed or fuzzed:
 * - SQLite: a file in a temporary directory (`sqlite:/tmp/…/scimkit.db`); `PRAGMA integrity_check`,
 *   `PRAGMA foreign_key_check`, and the denormalised columns agree with the stored documents.
 * - PostgreSQL: a fresh database in the throwaway cluster of test/support/postgres.ts; amcheck verifies every
 *   B-tree index against its table (heapallindexed), no membership points at a missing resource,
 *   and the denormalised columns agree with the stored documents.
 * Schema facts (tables `resources`, `group_members`) come from src/store/migrations/.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { type PostgresServer, postgresSkipReason, sharedPostgres } from "../../support/postgres";

export interface TestDatabase {
  readonly url: string;
  /** Problems found in the stored data; empty when the database is consistent. */
  consistencyProblems(): Promise<string[]>;
  destroy(): Promise<void>;
}

export interface Engine {
  readonly label: "SQLite" | "PostgreSQL";
  /** A reason to skip this engine's tests (printed by the runner), or undefined to run them. */
  skipReason(): string | undefined;
  createDatabase(purpose: string): Promise<TestDatabase>;
}

/** Queries shared by both engines: each returns rows that are problems. */
const DOCUMENT_DRIFT = {
  sqlite: `SELECT id FROM resources
           WHERE (type = 'User' AND json_extract(document, '$.userName') IS NOT name)
              OR (type = 'Group' AND json_extract(document, '$.displayName') IS NOT name)`,
  postgres: `SELECT id FROM resources
             WHERE (type = 'User' AND document->>'userName' IS DISTINCT FROM name)
                OR (type = 'Group' AND document->>'displayName' IS DISTINCT FROM name)`,
};
const ORPHAN_MEMBERSHIPS = `
  SELECT m.group_id, m.member_id FROM group_members m
  LEFT JOIN resources g ON g.id = m.group_id AND g.type = 'Group'
  LEFT JOIN resources r ON r.id = m.member_id
  WHERE g.id IS NULL OR r.id IS NULL`;

export const sqliteEngine: Engine = {
  label: "SQLite",
  skipReason: () => undefined,
  async createDatabase(purpose) {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), `scimkit-${purpose}-`));
    const file = path.join(directory, "scimkit.db");
    return {
      url: `sqlite:${file}`,
      async consistencyProblems() {
        const database = new Database(file, { readonly: true, fileMustExist: true });
        try {
          const problems: string[] = [];
          const integrity = database.pragma("integrity_check", { simple: false }) as Array<{
            integrity_check: string;
          }>;
          if (integrity.length !== 1 || integrity[0].integrity_check !== "ok")
            problems.push(`integrity_check: ${JSON.stringify(integrity.slice(0, 5))}`);
          const foreignKeys = database.pragma("foreign_key_check") as unknown[];
          if (foreignKeys.length > 0)
            problems.push(`foreign_key_check: ${JSON.stringify(foreignKeys.slice(0, 5))}`);
          const orphans = database.prepare(ORPHAN_MEMBERSHIPS).all();
          if (orphans.length > 0) problems.push(`orphan memberships: ${JSON.stringify(orphans.slice(0, 5))}`);
          const drift = database.prepare(DOCUMENT_DRIFT.sqlite).all();
          if (drift.length > 0) problems.push(`name column ≠ document: ${JSON.stringify(drift.slice(0, 5))}`);
          return problems;
        } finally {
          database.close();
        }
      },
      async destroy() {
        fs.rmSync(directory, { recursive: true, force: true });
      },
    };
  },
};

export const postgresEngine: Engine = {
  label: "PostgreSQL",
  skipReason: () => postgresSkipReason(),
  createDatabase: async (purpose) => postgresDatabase(await sharedPostgres(), purpose),
};

/** A fresh database on `server` (the shared per-process cluster, or one a test owns and stops). */
export async function postgresDatabase(server: PostgresServer, purpose: string): Promise<TestDatabase> {
  const url = await server.createDatabase(`robustness_${purpose.replace(/\W/g, "_")}`);
  return {
    url,
    async consistencyProblems() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const problems: string[] = [];
        // amcheck ships with PostgreSQL (contrib); creating it needs a superuser, which the throwaway
        // cluster has. On a SCIMKIT_TEST_POSTGRES_URL server without that right the index check is skipped.
        const amcheck = await client.query("CREATE EXTENSION IF NOT EXISTS amcheck").then(
          () => true,
          (error: Error) => {
            console.log(`amcheck unavailable (${error.message}); B-tree index verification skipped`);
            return false;
          },
        );
        // bt_index_check(index, heapallindexed => true): index structure is sound and every heap tuple is in it.
        const indexes = await client.query<{ index: string }>(
          `SELECT c.relname AS index FROM pg_index i
             JOIN pg_class c ON c.oid = i.indexrelid
             JOIN pg_am am ON am.oid = c.relam
             WHERE am.amname = 'btree' AND c.relnamespace = 'public'::regnamespace`,
        );
        for (const { index } of amcheck ? indexes.rows : []) {
          try {
            await client.query("SELECT bt_index_check($1::regclass, true)", [index]);
          } catch (error) {
            problems.push(`amcheck ${index}: ${(error as Error).message}`);
          }
        }
        if (indexes.rows.length === 0)
          problems.push("no B-tree index found in schema public (was the store migrated?)");
        const orphans = await client.query(ORPHAN_MEMBERSHIPS);
        if (orphans.rows.length > 0)
          problems.push(`orphan memberships: ${JSON.stringify(orphans.rows.slice(0, 5))}`);
        const drift = await client.query(DOCUMENT_DRIFT.postgres);
        if (drift.rows.length > 0)
          problems.push(`name column ≠ document: ${JSON.stringify(drift.rows.slice(0, 5))}`);
        return problems;
      } finally {
        await client.end();
      }
    },
    async destroy() {
      // The cluster is removed when the test process exits (test/support/postgres.ts).
    },
  };
}

export const ENGINES: readonly Engine[] = [sqliteEngine, postgresEngine];
