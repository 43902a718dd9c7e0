/**
 * Opens the store DATABASE_URL names: PostgreSQL for postgres:// and postgresql:// URLs, otherwise the
 * embedded SQLite file (default ./data/scimkit.db, directory created). Only config errors throw here;
 * a PostgreSQL server that is down surfaces later as StoreUnavailableError from the store's methods.
 * Call `store.migrate()` at start-up; it is idempotent and safe across replicas.
 */
import fs from "node:fs";
import path from "node:path";
import type { TokenCredential } from "@azure/identity";
import { type DatabaseAuth, parseDatabaseAuth, parseDatabaseUrl, StoreConfigError } from "./config";
import type { Store } from "./contract";
import { SqliteStore, type SqliteStoreOptions } from "./sqlite/sqlite-store";

export { StoreConfigError } from "./config";
export type { Store } from "./contract";
export { StoreUnavailableError } from "./contract";

export interface OpenStoreOptions {
  /** "azure": Microsoft Entra authentication to Azure Database for PostgreSQL, no password. */
  readonly auth?: DatabaseAuth;
  /** Client id of the user-assigned managed identity (AZURE_CLIENT_ID); system-assigned when absent. */
  readonly azureClientId?: string;
  /** Replaces the managed identity credential (tests use a stand-in). */
  readonly credential?: TokenCredential;
  /** PostgreSQL pool size. @default 10 */
  readonly poolSize?: number;
  readonly sqlite?: SqliteStoreOptions;
  /** PostgreSQL: an idle pooled connection failed (server restart, network); for logging only. */
  readonly onPoolError?: (error: Error) => void;
}

export async function openStore(
  databaseUrl: string | undefined,
  options: OpenStoreOptions = {},
): Promise<Store> {
  const location = parseDatabaseUrl(databaseUrl);
  if (location.engine === "postgres") {
    // Loaded only when used: pg and @azure/identity cost the embedded default ~100 ms of start-up and
    // ~20 MB of resident memory it never needs.
    const { PostgresStore } = await import("./postgres/postgres-store");
    return new PostgresStore({
      connectionString: location.connectionString,
      auth: options.auth ?? "password",
      azureClientId: options.azureClientId,
      credential: options.credential,
      poolSize: options.poolSize,
      onPoolError: options.onPoolError,
    });
  }
  if (options.auth === "azure") {
    throw new StoreConfigError(
      "DATABASE_AUTH=azure needs a postgres:// DATABASE_URL; the embedded store has no login",
    );
  }
  if (location.filename !== ":memory:") {
    try {
      fs.mkdirSync(path.dirname(path.resolve(location.filename)), { recursive: true });
    } catch (error) {
      throw new StoreConfigError(
        `DATABASE_URL: cannot create the directory for ${location.filename}: ${(error as Error).message}`,
      );
    }
  }
  let store: SqliteStore;
  try {
    store = new SqliteStore(location.filename, options.sqlite);
  } catch (error) {
    throw new StoreConfigError(
      `DATABASE_URL: cannot open SQLite file ${location.filename}: ${(error as Error).message}`,
    );
  }
  await store.migrate();
  return store;
}

/** The store options the environment asks for: DATABASE_AUTH and AZURE_CLIENT_ID. */
export function storeOptionsFromEnvironment(environment: NodeJS.ProcessEnv): OpenStoreOptions {
  const auth = parseDatabaseAuth(environment["DATABASE_AUTH"]);
  const azureClientId = environment["AZURE_CLIENT_ID"]?.trim() || undefined;
  return { auth, ...(azureClientId ? { azureClientId } : {}) };
}
