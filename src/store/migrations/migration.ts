/**
 * A versioned schema change. Engines record applied versions in `schema_migrations` and apply the
 * missing ones in order, each in its own transaction. Never edit a released migration: add one.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}
