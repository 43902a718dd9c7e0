/**
 * What group commit buys at the store level, for the engineer's notes (not a test, not the product
 * benchmark; that is `npm run bench`):
 *   node --import tsx test/store/sqlite/measure-group-commit.ts [operations]
 * Creates `operations` users through SqliteStore (synchronous=FULL) with 1, 16 and 64 concurrent
 * callers and prints creates/s, writes per COMMIT (= per fsync) and the machine's load average.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { SqliteStore } from "../../../src/store/sqlite/sqlite-store";

const operations = Number(process.argv[2] ?? 3000);

async function measure(directory: string, concurrency: number): Promise<void> {
  let commits = 0;
  const store = new SqliteStore(path.join(directory, `c${concurrency}.db`), {
    onCommit: () => {
      commits += 1;
    },
  });
  await store.migrate();
  commits = 0;
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < operations) {
        const index = next++;
        await store.create({
          type: "User",
          document: { userName: `user${index}@contoso.example`, externalId: `ext-${index}`, active: true },
        });
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await store.close();
  console.log(
    `SQLite FULL, ${String(concurrency).padStart(2)} callers: ${(operations / seconds).toFixed(0).padStart(6)} creates/s, ` +
      `${(operations / commits).toFixed(1)} writes per COMMIT, load average ${os.loadavg()[0].toFixed(1)}`,
  );
}

async function main(): Promise<void> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "scimkit-group-commit-measure-"));
  try {
    for (const concurrency of [1, 16, 64]) await measure(directory, concurrency);
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

void main();
