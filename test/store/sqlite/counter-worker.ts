/**
 * Child process for sqlite-store-processes.test.ts: increments a counter in one user's document
 * `times` times through SqliteStore.update, each a read-modify-write in its own transaction.
 */
import { SqliteStore } from "../../../src/store/sqlite/sqlite-store";

async function main(): Promise<void> {
  const [file, id, times] = process.argv.slice(2) as [string, string, string];
  const store = new SqliteStore(file);
  for (let index = 0; index < Number(times); index++) {
    await store.update(
      "User",
      id,
      (current) => ({ document: { ...current.document, counter: Number(current.document["counter"]) + 1 } }),
      { includeMembers: false },
    );
  }
  await store.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
