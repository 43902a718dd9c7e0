import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import Database from "better-sqlite3";
import fc from "fast-check";
import pg from "pg";
import { ScimError } from "../../../src/scim/errors";
import type { AttributeTraits, FilterNode } from "../../../src/scim/filter/ast";
import { compileFilter, escapeLike, SqlParameters } from "../../../src/store/filter/compile-filter";
import type { FilterDialect } from "../../../src/store/filter/dialect";
import { postgresDialect } from "../../../src/store/filter/postgres-dialect";
import { sqliteDialect, sqliteParameters } from "../../../src/store/filter/sqlite-dialect";
import { sqliteMigrations } from "../../../src/store/migrations/sqlite";
import { PostgresStore } from "../../../src/store/postgres/postgres-store";
import { SqliteStore } from "../../../src/store/sqlite/sqlite-store";
import { postgresSkipReason, sharedPostgres } from "../../support/postgres";
import { and, compare, not, or, present, traits, valuePath } from "../filters";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

function compile<Ref>(
  dialect: FilterDialect<Ref>,
  filter: FilterNode,
  resourceType: "User" | "Group" = "User",
) {
  const parameters = new SqlParameters(dialect as FilterDialect<unknown>);
  const sql = compileFilter(dialect, filter, { alias: "r", resourceType }, parameters);
  return { sql, values: parameters.values };
}

/** Random filters over the attributes Entra and the schema use, with arbitrary values. */
const attributes: ReadonlyArray<[string, AttributeTraits]> = [
  ["userName", traits.text],
  ["externalId", traits.exactText],
  ["id", traits.exactText],
  ["displayName", traits.text],
  ["title", traits.text],
  ["name.givenName", traits.text],
  ["emails.value", traits.multiText],
  ["emails.type", traits.multiText],
  ["emails", traits.multiText],
  [`${ENTERPRISE}:employeeNumber`, traits.exactText],
  [`${ENTERPRISE}:manager.value`, traits.exactText],
  ["groups.value", traits.reference],
];
const textOperators = ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"] as const;

function filterArbitrary(value: fc.Arbitrary<string>): fc.Arbitrary<FilterNode> {
  const leaf = fc.oneof(
    fc
      .tuple(fc.constantFrom(...attributes), fc.constantFrom(...textOperators), value)
      .map(([[path, attributeTraits], op, text]) => compare(path, op, text, attributeTraits)),
    fc.constantFrom(...attributes).map(([path, attributeTraits]) => present(path, attributeTraits)),
    fc
      .tuple(fc.constantFrom("eq", "ne") as fc.Arbitrary<"eq" | "ne">, fc.boolean())
      .map(([op, flag]) => compare("active", op, flag, traits.boolean)),
    fc
      .tuple(fc.constantFrom("type", "value", "display"), fc.constantFrom(...textOperators), value)
      .map(([attribute, op, text]) => valuePath("emails", compare(attribute, op, text))),
  );
  return fc.letrec<{ node: FilterNode }>((tie) => ({
    node: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      leaf,
      fc.tuple(tie("node"), tie("node")).map(([left, right]) => and(left, right)),
      fc.tuple(tie("node"), tie("node")).map(([left, right]) => or(left, right)),
      tie("node").map((inner) => not(inner)),
    ),
  })).node;
}

/** The same filter with every string value replaced by `replacement`. */
function withValues(filter: FilterNode, replacement: string): FilterNode {
  switch (filter.kind) {
    case "compare":
      return typeof filter.value === "string" ? { ...filter, value: replacement } : filter;
    case "present":
      return filter;
    case "and":
    case "or":
      return {
        ...filter,
        left: withValues(filter.left, replacement),
        right: withValues(filter.right, replacement),
      };
    case "not":
      return { ...filter, filter: withValues(filter.filter, replacement) };
    case "valuePath":
      return { ...filter, filter: withValues(filter.filter, replacement) };
  }
}

const hostileText = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.constantFrom(
    "'",
    '"',
    "\\",
    "%",
    "_",
    "--",
    "'; DROP TABLE resources; --",
    "$1",
    "@p0",
    "?",
    ") OR (1=1",
  ),
);

describe("filter → SQL", () => {
  for (const [label, dialect] of [
    ["SQLite", sqliteDialect],
    ["PostgreSQL", postgresDialect],
  ] as const) {
    it(`${label}: values never reach the SQL text; the text depends only on the filter's shape`, () => {
      fc.assert(
        fc.property(filterArbitrary(hostileText), (filter) => {
          const compiled = compile(dialect as FilterDialect<unknown>, filter);
          const reference = compile(dialect as FilterDialect<unknown>, withValues(filter, "constant"));
          assert.equal(compiled.sql, reference.sql);
          assert.equal(compiled.values.length, reference.values.length);
        }),
        { numRuns: 300 },
      );
    });
  }

  it("attribute names reach SQL only as bound JSON paths", () => {
    const { sql, values } = compile(sqliteDialect, compare(`${ENTERPRISE}:employeeNumber`, "eq", "7"));
    assert.doesNotMatch(sql, /enterprise|employeeNumber/);
    assert.ok(values.includes(`$."${ENTERPRISE}"."employeeNumber"`));
    const postgres = compile(postgresDialect, compare("name.givenName", "eq", "x"));
    assert.doesNotMatch(postgres.sql, /givenName/);
    assert.deepEqual(postgres.values[0], ["name", "givenName"]);
  });

  it("an attribute name with a quote is refused rather than spliced into a JSON path", () => {
    assert.throws(
      () => compile(sqliteDialect, compare('title"].x', "eq", "v")),
      (error: unknown) => error instanceof ScimError && error.scimType === "invalidFilter",
    );
  });

  it("LIKE wildcards and the escape character are escaped", () => {
    assert.equal(escapeLike("100%_off\\now"), "100\\%\\_off\\\\now");
  });

  it("nested value filters are invalidFilter", () => {
    assert.throws(
      () => compile(sqliteDialect, valuePath("emails", valuePath("addresses", present("type")))),
      (error: unknown) =>
        error instanceof ScimError && error.status === 400 && error.scimType === "invalidFilter",
    );
  });
});

/** Random filters executed by the engine: a result or a 400 invalidFilter, never a database error. */
async function executesCleanly(store: SqliteStore | PostgresStore, runs: number): Promise<void> {
  await store.create({
    type: "User",
    document: { userName: "a%b_c\\d", title: "x", emails: [{ value: "e@x", type: "work" }], active: true },
  });
  await store.create({
    type: "User",
    document: { userName: "plain", emails: "not-an-array", name: "not-an-object" },
  });
  await fc.assert(
    fc.asyncProperty(filterArbitrary(hostileText), async (filter) => {
      try {
        const result = await store.query("User", { filter, startIndex: 1, count: 5, includeMembers: false });
        assert.ok(result.totalResults >= 0 && result.totalResults <= 2);
      } catch (error) {
        assert.ok(error instanceof ScimError && error.status === 400, String(error));
      }
    }),
    { numRuns: runs },
  );
}

describe("random filters run on the engines", () => {
  it("SQLite answers every generated filter", async () => {
    const store = new SqliteStore(":memory:");
    await store.migrate();
    try {
      await executesCleanly(store, 400);
    } finally {
      await store.close();
    }
  });

  it("PostgreSQL answers every generated filter", { skip: postgresSkipReason() }, async () => {
    const url = await (await sharedPostgres()).createDatabase("random_filters");
    const store = new PostgresStore({ connectionString: url });
    await store.migrate();
    try {
      await executesCleanly(store, 200);
    } finally {
      await store.close();
    }
  });
});

describe("filters on indexed attributes use the indexes", () => {
  const cases: ReadonlyArray<[string, FilterNode, "User" | "Group", string]> = [
    ["userName eq", compare("userName", "eq", "Alice@X.io"), "User", "resources_type_name_lower"],
    ["displayName eq (groups)", compare("displayName", "eq", "Sales"), "Group", "resources_type_name_lower"],
    [
      "externalId eq",
      compare("externalId", "eq", "e-1", traits.exactText),
      "User",
      "resources_type_external_id",
    ],
  ];

  describe("SQLite", () => {
    let database: Database.Database;
    before(() => {
      database = new Database(":memory:");
      for (const migration of sqliteMigrations) database.exec(migration.sql);
    });
    after(() => database.close());

    for (const [label, filter, type, index] of cases) {
      it(`${label} → ${index}`, () => {
        const parameters = new SqlParameters(sqliteDialect as FilterDialect<unknown>);
        const where = `r.type = ${parameters.add(type)} AND ${compileFilter(sqliteDialect, filter, { alias: "r", resourceType: type }, parameters)}`;
        const plan = database
          .prepare(`EXPLAIN QUERY PLAN SELECT r.id FROM resources r WHERE ${where}`)
          .all(sqliteParameters(parameters.values)) as { detail: string }[];
        assert.match(plan.map((step) => step.detail).join("\n"), new RegExp(index));
      });
    }

    it("id eq → primary key", () => {
      const parameters = new SqlParameters(sqliteDialect as FilterDialect<unknown>);
      const where = compileFilter(
        sqliteDialect,
        compare("id", "eq", "x", traits.exactText),
        { alias: "r", resourceType: "User" },
        parameters,
      );
      const plan = database
        .prepare(`EXPLAIN QUERY PLAN SELECT r.id FROM resources r WHERE ${where}`)
        .all(sqliteParameters(parameters.values)) as { detail: string }[];
      assert.match(plan.map((step) => step.detail).join("\n"), /sqlite_autoindex_resources_1|PRIMARY KEY/);
    });
  });

  describe("PostgreSQL", { skip: postgresSkipReason() }, () => {
    let client: pg.Client;
    before(async () => {
      const url = await (await sharedPostgres()).createDatabase("explain");
      const store = new PostgresStore({ connectionString: url });
      await store.migrate();
      await store.close();
      client = new pg.Client({ connectionString: url });
      await client.connect();
      // An empty table is cheapest to scan; forbid that so the plan shows which index can serve the filter.
      await client.query("SET enable_seqscan = off");
    });
    after(async () => client?.end());

    for (const [label, filter, type, index] of [
      ...cases,
      ["id eq", compare("id", "eq", "x", traits.exactText), "User", "resources_pkey"] as const,
    ]) {
      it(`${label} → ${index}`, async () => {
        const parameters = new SqlParameters(postgresDialect as FilterDialect<unknown>);
        const where = `r.type = ${parameters.add(type)} AND ${compileFilter(postgresDialect, filter, { alias: "r", resourceType: type }, parameters)}`;
        const plan = await client.query(
          `EXPLAIN SELECT r.id FROM resources r WHERE ${where}`,
          parameters.values,
        );
        const text = plan.rows.map((row) => row["QUERY PLAN"]).join("\n");
        assert.match(text, new RegExp(`Index.* using ${index} `), text);
      });
    }
  });
});
