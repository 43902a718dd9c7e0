/**
 * Child process for sqlite-store-group-commit-processes.test.ts: issues `times` increments of one
 * user's counter all at once, so group commit runs them as read-modify-writes inside shared batches,
 * while another process does the same on the same file. Prints the sizes of its batches.
 */
import { SqliteStore } from "../../../src/store/sqlite/sqlite-store";

async function main(): Promise<void> {
  const [file, id, times] = process.argv.slice(2) as [string, string, string];
  const batches: number[] = [];
  const store = new SqliteStore(file, { maxBatchSize: 16, onCommit: (writes) => batches.push(writes) });
  await Promise.all(
    Array.from({ length: Number(times) }, () =>
      store.update(
        "User",
        id,
        (current) => ({
          document: { ...current.document, counter: Number(current.document["counter"]) + 1 },
        }),
        { includeMembers: false },
      ),
    ),
  );
  await store.close();
  process.stdout.write(JSON.stringify(batches));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
