/**
 * DATABASE_URL (and DATABASE_AUTH / AZURE_CLIENT_ID) → which engine, where, how to authenticate.
 * Errors name the variable and say what a valid value looks like.
 */
import path from "node:path";

export class StoreConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StoreConfigError";
  }
}

export const DEFAULT_SQLITE_FILE = path.join("data", "scimkit.db");

export type DatabaseLocation =
  | { readonly engine: "sqlite" /** A file path, or ":memory:". */; readonly filename: string }
  | { readonly engine: "postgres"; readonly connectionString: string };

export type DatabaseAuth = "password" | "azure";

export function parseDatabaseUrl(databaseUrl: string | undefined): DatabaseLocation {
  const value = databaseUrl?.trim();
  if (!value) return { engine: "sqlite", filename: DEFAULT_SQLITE_FILE };
  if (/^postgres(ql)?:\/\//i.test(value)) {
    try {
      new URL(value);
    } catch {
      throw new StoreConfigError(
        "DATABASE_URL is not a valid PostgreSQL URL; expected postgres://user:password@host:5432/database?sslmode=require",
      );
    }
    return { engine: "postgres", connectionString: value };
  }
  const sqlite = /^(sqlite|file):(.*)$/i.exec(value);
  if (sqlite) {
    // sqlite:///abs/path → /abs/path; sqlite://relative/path and sqlite:relative/path → relative.
    const rest = sqlite[2]!.startsWith("//") ? sqlite[2]!.slice(2) : sqlite[2]!;
    if (!rest)
      throw new StoreConfigError(`DATABASE_URL "${value}" names no file; use e.g. sqlite:./data/scimkit.db`);
    return { engine: "sqlite", filename: rest };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value);
  if (scheme) {
    throw new StoreConfigError(
      `DATABASE_URL scheme "${scheme[1]}:" is not supported; use postgres://… for PostgreSQL or sqlite:<file> (or a file path) for the embedded store`,
    );
  }
  return { engine: "sqlite", filename: value };
}

export function parseDatabaseAuth(value: string | undefined): DatabaseAuth {
  const auth = value?.trim().toLowerCase();
  if (!auth || auth === "password") return "password";
  if (auth === "azure") return "azure";
  throw new StoreConfigError(
    `DATABASE_AUTH must be "password" (default) or "azure" (got ${JSON.stringify(value)})`,
  );
}
