/** Child process for sqlite-store-processes.test.ts: opens the file and migrates it. */
import { SqliteStore } from "../../../src/store/sqlite/sqlite-store";

const store = new SqliteStore(process.argv[2]!);
store
  .migrate()
  .then(() => store.close())
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
