import type { Migration } from "./migration";

/**
 * SQLite schema. `name_lower` is filled by resource-columns.ts (Unicode case folding, which SQLite's
 * lower() does not do), so the unique index on (type, name_lower) is "unique case-insensitively".
 * Timestamps are ISO 8601 text from Date.toISOString(), which sorts chronologically.
 */
export const sqliteMigrations: readonly Migration[] = [
  {
    version: 1,
    name: "resources and group members",
    sql: `
      CREATE TABLE resources (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL CHECK (type IN ('User', 'Group')),
        name TEXT NOT NULL,
        name_lower TEXT NOT NULL,
        external_id TEXT,
        active INTEGER,
        version INTEGER NOT NULL,
        created TEXT NOT NULL,
        last_modified TEXT NOT NULL,
        document TEXT NOT NULL
      );
      CREATE UNIQUE INDEX resources_type_name_lower ON resources (type, name_lower);
      CREATE INDEX resources_type_external_id ON resources (type, external_id);
      CREATE INDEX resources_type_created_id ON resources (type, created, id);
      CREATE TABLE group_members (
        group_id TEXT NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
        member_id TEXT NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
        PRIMARY KEY (group_id, member_id)
      ) WITHOUT ROWID;
      CREATE INDEX group_members_member_id ON group_members (member_id);
    `,
  },
];
