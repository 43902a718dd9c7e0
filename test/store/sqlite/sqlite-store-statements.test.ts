/**
 * Statements the SQLite engine saves on Entra's hottest paths (seen through onSql): a create does not
 * read its row back, and a lookup whose page is not full does not count. The totals stay exact; the
 * contract suite checks them across pages.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, it } from "node:test";
import { SqliteStore } from "../../../src/store/sqlite/sqlite-store";
import { compare, traits } from "../filters";

const directory = fs.mkdtempSync(path.join(os.tmpdir(), "scimkit-sqlite-statements-"));
after(() => fs.rmSync(directory, { recursive: true, force: true }));

it("create runs one INSERT and no SELECT; a short page costs no count(*), a full page still counts", async () => {
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

    const counts = () => statements.filter((sql) => /count\(\*\)/i.test(sql)).length;
    const byName = (value: string) => compare("userName", "eq", value, traits.text);
    statements.length = 0;
    const found = await store.query("User", {
      filter: byName("D"),
      startIndex: 1,
      count: 100,
      includeMembers: false,
    });
    const missing = await store.query("User", {
      filter: byName("zz"),
      startIndex: 1,
      count: 100,
      includeMembers: false,
    });
    assert.equal(counts(), 0);
    assert.equal(found.totalResults, 1);
    assert.equal(found.resources[0]?.id, created.id);
    assert.equal(missing.totalResults, 0);

    const full = await store.query("User", { startIndex: 1, count: 2, includeMembers: false });
    const pastTheEnd = await store.query("User", { startIndex: 9, count: 2, includeMembers: false });
    const lastPage = await store.query("User", { startIndex: 4, count: 2, includeMembers: false });
    assert.equal(counts(), 2, "a full page and an empty page past the end need count(*)");
    assert.deepEqual([full.totalResults, pastTheEnd.totalResults, lastPage.totalResults], [4, 4, 4]);
    assert.equal(lastPage.resources.length, 1);
  } finally {
    await store.close();
  }
});
