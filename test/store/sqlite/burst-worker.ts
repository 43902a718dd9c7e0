/**
 * Child process for sqlite-store-crash.test.ts: 16 writers create users as fast as the store lets
 * them (so group commit batches them) and print `ack <userName>` the moment a create resolves, and
 * `commit <writes>` for every transaction. The parent kills it with SIGKILL mid-burst.
 */
import { SqliteStore } from "../../../src/store/sqlite/sqlite-store";

const WRITERS = 16;

async function main(): Promise<void> {
  const [file, prefix] = process.argv.slice(2) as [string, string];
  const store = new SqliteStore(file, { onCommit: (writes) => process.stdout.write(`commit ${writes}\n`) });
  await store.migrate();
  let next = 0;
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      for (;;) {
        const userName = `${prefix}-${next++}`;
        await store.create({ type: "User", document: { userName, active: true } });
        // Pipes are synchronous on Linux: once written, the parent will read it even after SIGKILL.
        process.stdout.write(`ack ${userName}\n`);
      }
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
