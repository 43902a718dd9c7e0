/**
 * Bad-input fuzzing of the HTTP API on PostgreSQL (issue #3); the suite and its rules are in
 * support/bad-input-suite.ts, the SQLite half in bad-input.sqlite.test.ts.
 */
import { defineBadInputSuite } from "./support/bad-input-suite";
import { postgresEngine } from "./support/engines";

defineBadInputSuite(postgresEngine);
