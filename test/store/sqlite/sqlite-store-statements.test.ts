/**
 * A statement the SQLite engine saves on Entra's hottest write (seen through onSql): a create does not
 * read its row back; what it returns is exactly what a later read returns.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, it } from "node:test";
import { SqliteStore } from "../../../src/store/sqlite/sqlite-store";

const directory = fs.mkdtempSync(path.join(os.tmpdir(), "scimkit-sqlite-statements-"));
after(() => fs.rmSync(directory, { recursive: true, force: true }));

it("create runs one INSERT and no SELECT, and returns what get() returns", async () => {
  const statements: string[] = [];
  const store = new SqliteStore(path.join(directory, "statements.db"), {
    onSql: (sql) => statements.push(sql),
  });
  try {
    await store.migrate();
    for (const userName of ["a", "b", "c"]) await store.create({ type: "User", document: { userName } });
    statements.length = 0;
    const created = await store.create({ type: "User", document: { userName: "d", n: 1 } });
    const writes = statements.filter((sql) => !/^(BEGIN|COMMIT|SAVEPOINT|RELEASE)/i.test(sql));
    assert.equal(writes.length, 1, writes.join("\n"));
    assert.match(writes[0]!, /^INSERT INTO resources/);
    assert.deepEqual(await store.get("User", created.id, { includeMembers: false }), created);
  } finally {
    await store.close();
  }
});
