/**
 * Rough store throughput, for the engineer's notes (not a test, not the product benchmark):
 *   node --import tsx test/store/measure-throughput.ts [operations]
 * Creates then patches `operations` users per engine through the Store contract (one transaction
 * each) and prints ops/s. PostgreSQL runs in a throwaway cluster (test/support/postgres.ts).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Store } from "../../src/store/contract";
import { PostgresStore } from "../../src/store/postgres/postgres-store";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store";
import { postgresSkipReason, startPostgres } from "../support/postgres";

const operations = Number(process.argv[2] ?? 3000);

function documentFor(index: number) {
  return {
    userName: `user${index}@contoso.example`,
    externalId: `ext-${index}`,
    active: true,
    displayName: `User ${index}`,
    name: { givenName: "Given", familyName: `Family${index}` },
    emails: [{ value: `user${index}@contoso.example`, type: "work", primary: true }],
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
      employeeNumber: String(index),
      department: "R&D",
    },
  };
}

async function measure(label: string, store: Store, concurrency: number): Promise<void> {
  await store.migrate();
  const ids: string[] = [];
  const timed = async (work: (index: number) => Promise<void>): Promise<number> => {
    let next = 0;
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < operations) await work(next++);
      }),
    );
    return operations / (Number(process.hrtime.bigint() - started) / 1e9);
  };
  const creates = await timed(async (index) => {
    ids[index] = (await store.create({ type: "User", document: documentFor(index) })).id;
  });
  const patches = await timed(async (index) => {
    await store.update(
      "User",
      ids[index]!,
      (current) => ({ document: { ...current.document, title: `T${index}` } }),
      {
        includeMembers: false,
      },
    );
  });
  console.log(
    `${label.padEnd(40)} create ${creates.toFixed(0).padStart(6)} ops/s   patch ${patches.toFixed(0).padStart(6)} ops/s`,
  );
  await store.close();
}

async function main(): Promise<void> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "scimkit-throughput-"));
  try {
    await measure(
      "SQLite WAL synchronous=FULL (default)",
      new SqliteStore(path.join(directory, "full.db")),
      1,
    );
    await measure(
      "SQLite WAL synchronous=NORMAL",
      new SqliteStore(path.join(directory, "normal.db"), { synchronous: "NORMAL" }),
      1,
    );
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
  const skip = postgresSkipReason();
  if (skip) {
    console.log(skip);
    return;
  }
  const server = await startPostgres();
  try {
    await measure(
      "PostgreSQL, 1 caller",
      new PostgresStore({ connectionString: await server.createDatabase("one") }),
      1,
    );
    await measure(
      "PostgreSQL, 8 concurrent callers",
      new PostgresStore({ connectionString: await server.createDatabase("eight") }),
      8,
    );
  } finally {
    await server.destroy();
  }
}

void main();
