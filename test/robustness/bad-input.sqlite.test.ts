/**
 * Bad-input fuzzing of the HTTP API on the embedded SQLite store (issue #3); the suite and its rules are in
 * support/bad-input-suite.ts, the PostgreSQL half in bad-input.postgres.test.ts.
 */
import { defineBadInputSuite } from "./support/bad-input-suite";
import { sqliteEngine } from "./support/engines";

defineBadInputSuite(sqliteEngine);
