import assert from "node:assert/strict";
import net from "node:net";
import { it } from "node:test";
import { StoreUnavailableError } from "../../../src/store/contract";
import { PostgresStore } from "../../../src/store/postgres/postgres-store";

it("a server that accepts TCP but never answers gives StoreUnavailableError within the connection timeout", async () => {
  const sockets = new Set<net.Socket>();
  const silent = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  const { port } = silent.address() as net.AddressInfo;
  const store = new PostgresStore({
    connectionString: `postgres://scimkit@127.0.0.1:${port}/scimkit`,
    connectionTimeoutMs: 300,
  });
  try {
    await assert.rejects(store.ping(), (error: unknown) => error instanceof StoreUnavailableError);
    await assert.rejects(
      store.get("User", "x", { includeMembers: false }),
      (error: unknown) =>
        error instanceof StoreUnavailableError && /PostgreSQL unavailable/.test(error.message),
    );
  } finally {
    await store.close();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  }
});

it("nothing listening: StoreUnavailableError, and a closed store says so", async () => {
  const store = new PostgresStore({
    connectionString: "postgres://scimkit@127.0.0.1:1/scimkit",
    connectionTimeoutMs: 300,
  });
  await assert.rejects(store.migrate(), (error: unknown) => error instanceof StoreUnavailableError);
  await store.close();
  await assert.rejects(
    store.ping(),
    (error: unknown) => error instanceof StoreUnavailableError && /closed/.test(error.message),
  );
});
