import type { Migration } from "./migration";

/**
 * PostgreSQL schema. `name_lower` is filled by resource-columns.ts (the same folding as SQLite) and
 * uses COLLATE "C" so its unique index also serves `userName sw "…"` (LIKE 'x%') whatever the
 * database locale. Ids are text: they are compared with client-sent strings, and a uuid column would
 * turn `id eq "not-a-uuid"` into a cast error instead of "no match".
 */
export const postgresMigrations: readonly Migration[] = [
  {
    version: 1,
    name: "resources and group members",
    sql: `
      CREATE TABLE resources (
        id text PRIMARY KEY,
        type text NOT NULL CHECK (type IN ('User', 'Group')),
        name text NOT NULL,
        name_lower text COLLATE "C" NOT NULL,
        external_id text,
        active boolean,
        version integer NOT NULL,
        created timestamptz NOT NULL,
        last_modified timestamptz NOT NULL,
        document jsonb NOT NULL
      );
      CREATE UNIQUE INDEX resources_type_name_lower ON resources (type, name_lower);
      CREATE INDEX resources_type_external_id ON resources (type, external_id);
      CREATE INDEX resources_type_created_id ON resources (type, created, id);
      CREATE TABLE group_members (
        group_id text NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
        member_id text NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
        PRIMARY KEY (group_id, member_id)
      );
      CREATE INDEX group_members_member_id ON group_members (member_id);
    `,
  },
];
