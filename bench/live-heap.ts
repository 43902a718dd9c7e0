/**
 * Whether the service's memory stays flat as the store grows, measured from the inside: the live JavaScript
 * heap after a full garbage collection, sampled as users are created. RSS (what `npm run bench` reports from
 * outside) also counts heap V8 has reserved but not returned and the allocator's free lists, so it rises
 * for a while in any Node process; a leak — an unbounded cache, resources kept after their response — shows
 * here as live heap growing with the number of users.
 *
 * Runs the real service in this process (buildServer over openStore, request lines logged to /dev/null)
 * and sends each user as Entra does (match by filter, then POST) through fastify's inject, 16 at a time.
 * Started by bench/run.ts with --expose-gc:
 *
 *   DATABASE_URL=sqlite:/tmp/heap.db LIVE_HEAP_USERS=10000 node --expose-gc --import tsx bench/live-heap.ts
 *
 * Prints one JSON line: { users: [...], liveHeapMb: [...], rssMb: [...] }.
 */
import { randomBytes } from "node:crypto";
import pino from "pino";
import { createServiceLogger } from "../src/http/request-logging";
import { buildServer } from "../src/http/server";
import { openStore } from "../src/store/index";

const SAMPLES = 4;
const IN_FLIGHT = 16;

async function main(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with node --expose-gc");
  const users = Number(process.env.LIVE_HEAP_USERS ?? 10_000);
  const store = await openStore(process.env.DATABASE_URL);
  await store.migrate();
  const token = randomBytes(32).toString("base64url");
  const logger = createServiceLogger("info", pino.destination({ dest: "/dev/null", sync: true }));
  const app = buildServer({ store, tokens: [token], logger });
  await app.ready();
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/scim+json" };

  const createUser = async (index: number) => {
    const userName = `heap.user${index}@contoso.com`;
    const match = await app.inject({
      method: "GET",
      url: `/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`,
      headers,
    });
    if (match.statusCode !== 200) throw new Error(`match answered ${match.statusCode}: ${match.body}`);
    const created = await app.inject({
      method: "POST",
      url: "/scim/v2/Users",
      headers,
      payload: JSON.stringify({
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
        externalId: `heap-${index}`,
        userName,
        active: true,
        displayName: `Heap User ${index}`,
        name: { givenName: "Heap", familyName: `User ${index}` },
        emails: [{ primary: true, type: "work", value: userName }],
      }),
    });
    if (created.statusCode !== 201) throw new Error(`create answered ${created.statusCode}: ${created.body}`);
  };

  const report = { users: [] as number[], liveHeapMb: [] as number[], rssMb: [] as number[] };
  const megabytes = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
  let next = 0;
  for (let sample = 1; sample <= SAMPLES; sample += 1) {
    const until = Math.round((users * sample) / SAMPLES);
    while (next < until) {
      const batch: Promise<void>[] = [];
      for (; next < until && batch.length < IN_FLIGHT; next += 1) batch.push(createUser(next));
      await Promise.all(batch);
    }
    gc();
    const memory = process.memoryUsage();
    report.users.push(until);
    report.liveHeapMb.push(megabytes(memory.heapUsed));
    report.rssMb.push(megabytes(memory.rss));
  }
  await app.close();
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((error) => {
  process.stderr.write(`live-heap: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
