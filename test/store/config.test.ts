import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import {
  DEFAULT_SQLITE_FILE,
  parseDatabaseAuth,
  parseDatabaseUrl,
  StoreConfigError,
} from "../../src/store/config";
import { openStore, storeOptionsFromEnvironment } from "../../src/store/index";

describe("DATABASE_URL", () => {
  it("selects PostgreSQL for postgres:// and postgresql:// URLs", () => {
    for (const url of ["postgres://u:p@db:5432/scim?sslmode=require", "postgresql://u@localhost/scim"]) {
      assert.deepEqual(parseDatabaseUrl(url), { engine: "postgres", connectionString: url });
    }
  });

  it("selects SQLite for sqlite:, file:, plain paths and when unset", () => {
    assert.deepEqual(parseDatabaseUrl(undefined), { engine: "sqlite", filename: DEFAULT_SQLITE_FILE });
    assert.deepEqual(parseDatabaseUrl("  "), { engine: "sqlite", filename: DEFAULT_SQLITE_FILE });
    assert.deepEqual(parseDatabaseUrl("sqlite:./data/x.db"), { engine: "sqlite", filename: "./data/x.db" });
    assert.deepEqual(parseDatabaseUrl("sqlite:///var/lib/x.db"), {
      engine: "sqlite",
      filename: "/var/lib/x.db",
    });
    assert.deepEqual(parseDatabaseUrl("file:x.db"), { engine: "sqlite", filename: "x.db" });
    assert.deepEqual(parseDatabaseUrl("/tmp/y.db"), { engine: "sqlite", filename: "/tmp/y.db" });
    assert.deepEqual(parseDatabaseUrl("sqlite::memory:"), { engine: "sqlite", filename: ":memory:" });
  });

  it("rejects other schemes with an error naming DATABASE_URL", () => {
    assert.throws(
      () => parseDatabaseUrl("mysql://root@db/scim"),
      (error: unknown) =>
        error instanceof StoreConfigError && /^DATABASE_URL .*"mysql:".*postgres:\/\//.test(error.message),
    );
    assert.throws(() => parseDatabaseUrl("sqlite:"), /DATABASE_URL/);
  });

  it("DATABASE_AUTH accepts password and azure, and names itself otherwise", () => {
    assert.equal(parseDatabaseAuth(undefined), "password");
    assert.equal(parseDatabaseAuth("Azure"), "azure");
    assert.throws(
      () => parseDatabaseAuth("kerberos"),
      /^StoreConfigError: DATABASE_AUTH must be|DATABASE_AUTH must be/,
    );
    assert.deepEqual(storeOptionsFromEnvironment({ DATABASE_AUTH: "azure", AZURE_CLIENT_ID: " abc " }), {
      auth: "azure",
      azureClientId: "abc",
    });
    assert.deepEqual(storeOptionsFromEnvironment({}), { auth: "password" });
  });
});

describe("openStore", () => {
  it("creates the SQLite file's directory and a migrated store", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "scimkit-open-store-"));
    try {
      const file = path.join(root, "nested", "dir", "scim.db");
      const store = await openStore(`sqlite:${file}`);
      try {
        const created = await store.create({ type: "User", document: { userName: "first" } });
        assert.equal((await store.get("User", created.id, { includeMembers: false }))?.id, created.id);
      } finally {
        await store.close();
      }
      assert.ok(fs.existsSync(file));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("refuses DATABASE_AUTH=azure with the embedded store", async () => {
    await assert.rejects(
      openStore("sqlite::memory:", { auth: "azure" }),
      /DATABASE_AUTH=azure needs a postgres/,
    );
  });
});
