/**
 * Records the text of every SQL statement this process hands to a database driver — before any
 * parameter is bound — by wrapping the drivers' entry points: better-sqlite3's `prepare`/`exec` (its
 * `verbose` hook shows statements with values already expanded, so it cannot tell a bound value from
 * one pasted into the SQL) and node-postgres' `Client.query`. A client-sent value found in this text
 * reached SQL unparameterised.
 */
import Database from "better-sqlite3";
import pg from "pg";

export interface SqlTextRecorder {
  readonly statements: string[];
  restore(): void;
}

export function recordSqlText(): SqlTextRecorder {
  const statements: string[] = [];
  const sqlite = Database.prototype as unknown as Record<
    "prepare" | "exec",
    (sql: string, ...rest: unknown[]) => unknown
  >;
  const postgres = pg.Client.prototype as unknown as {
    query: (config: unknown, ...rest: unknown[]) => unknown;
  };
  const originals = { prepare: sqlite.prepare, exec: sqlite.exec, query: postgres.query };

  sqlite.prepare = function (this: unknown, sql: string, ...rest: unknown[]) {
    statements.push(String(sql));
    return originals.prepare.call(this, sql, ...rest);
  };
  sqlite.exec = function (this: unknown, sql: string, ...rest: unknown[]) {
    statements.push(String(sql));
    return originals.exec.call(this, sql, ...rest);
  };
  postgres.query = function (this: unknown, config: unknown, ...rest: unknown[]) {
    statements.push(
      typeof config === "string" ? config : String((config as { text?: unknown } | undefined)?.text),
    );
    return originals.query.call(this, config, ...rest);
  };
  return {
    statements,
    restore() {
      sqlite.prepare = originals.prepare;
      sqlite.exec = originals.exec;
      postgres.query = originals.query;
    },
  };
}
