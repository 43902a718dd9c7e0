import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe } from "node:test";
import { SqliteStore } from "../../../src/store/sqlite/sqlite-store";
import { storeContractSuite } from "../contract-suite";

const directory = fs.mkdtempSync(path.join(os.tmpdir(), "scimkit-sqlite-store-"));
after(() => fs.rmSync(directory, { recursive: true, force: true }));
let files = 0;

describe("SQLite store", () => {
  storeContractSuite({
    async freshStore(options = {}) {
      files += 1;
      const store = new SqliteStore(path.join(directory, `store-${files}.db`), { onSql: options.onSql });
      await store.migrate();
      return store;
    },
  });
});
