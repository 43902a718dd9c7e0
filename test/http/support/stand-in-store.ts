/**
 * A Store for HTTP-layer tests that never reach the protocol's data paths: only ping/close matter, and
 * a test can make ping fail or hang. Resource methods fail loudly so a test that needs real data uses a
 * real store instead.
 */
import type { Store } from "../../../src/store/contract";

export interface StandInStore extends Store {
  pingBehaviour: "ok" | "fail" | "hang";
  closed: boolean;
}

export function createStandInStore(): StandInStore {
  const unsupported = async (): Promise<never> => {
    throw new Error("the stand-in store holds no resources; use a real store for this test");
  };
  const store: StandInStore = {
    pingBehaviour: "ok",
    closed: false,
    migrate: async () => {},
    ping: async () => {
      if (store.pingBehaviour === "fail") throw new Error("connection refused");
      if (store.pingBehaviour === "hang") await new Promise(() => {});
    },
    close: async () => {
      store.closed = true;
    },
    create: unsupported,
    get: unsupported,
    query: unsupported,
    update: unsupported,
    delete: unsupported,
  };
  return store;
}
