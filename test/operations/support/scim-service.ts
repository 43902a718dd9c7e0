/**
 * The real SCIM service (src/http + src/scim + src/store on a SQLite file), listening on 127.0.0.1
 * port 0 in this process: what the simulated Entra exports to and what trial mode checks.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildServer } from "../../../src/http/server";
import { openStore } from "../../../src/store";

export interface LocalScimService {
  /** e.g. http://127.0.0.1:41234/scim/v2 */
  readonly baseUrl: string;
  readonly token: string;
  stop(): Promise<void>;
}

export async function startLocalScimService(): Promise<LocalScimService> {
  const directory = mkdtempSync(join(tmpdir(), "scimkit-operations-scim-"));
  const store = await openStore(`sqlite:${join(directory, "scim.db")}`);
  await store.migrate();
  const token = `test-${randomBytes(24).toString("base64url")}`;
  const server = buildServer({ store, tokens: [token] });
  await server.listen({ host: "127.0.0.1", port: 0 });
  const { port } = server.server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/scim/v2`,
    token,
    async stop() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
