/**
 * The storage engines the HTTP suites run against (issue #3: the entire SCIM test suite runs on both):
 * a fresh SQLite file, and a fresh database on a real PostgreSQL server (test/support/postgres.ts).
 * PostgreSQL is skipped with a one-line reason when no server can be had outside CI; in CI it never is.
 */
import { postgresSkipReason, sharedPostgres } from "../../support/postgres";

export interface HttpTestEngine {
  readonly label: "SQLite" | "PostgreSQL";
  /** A reason to skip, or undefined to run. */
  readonly skip: string | undefined;
  /** DATABASE_URL of a fresh, empty database; undefined means a temporary SQLite file. */
  databaseUrl(purpose: string): Promise<string | undefined>;
}

export const HTTP_TEST_ENGINES: readonly HttpTestEngine[] = [
  { label: "SQLite", skip: undefined, databaseUrl: async () => undefined },
  {
    label: "PostgreSQL",
    skip: postgresSkipReason(),
    databaseUrl: async (purpose) => (await sharedPostgres()).createDatabase(purpose),
  },
];
