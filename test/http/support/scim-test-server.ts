/**
 * The real service in-process for HTTP tests: buildServer + the real protocol + a real store (a fresh
 * SQLite file by default, or any DATABASE_URL), called through fastify's inject(). Requests carry no
 * User-Agent, like Entra's, and bodies go out as application/scim+json.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { buildServer } from "../../../src/http/server";
import { openStore } from "../../../src/store/index";
import { testToken } from "./tokens";

/** "aadOptscim062020": the tenant URL carries the flag, so every request's query has it. */
export type Dialect = "default" | "aadOptscim062020";
export const DIALECTS: readonly Dialect[] = ["default", "aadOptscim062020"];

export interface ScimAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | number | undefined>;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are inspected field by field in tests
  readonly body: any;
  readonly text: string;
}

export interface ScimTestServer {
  readonly app: FastifyInstance;
  readonly token: string;
  call(method: string, pathAndQuery: string, body?: unknown, options?: CallOptions): Promise<ScimAnswer>;
  close(): Promise<void>;
}

export interface CallOptions {
  readonly dialect?: Dialect;
  readonly headers?: Record<string, string>;
  /** Raw body text instead of JSON.stringify(body). */
  readonly rawBody?: string;
}

export async function startScimTestServer(
  options: { databaseUrl?: string; basePath?: string } = {},
): Promise<ScimTestServer> {
  const directory = options.databaseUrl ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), "scimkit-http-"));
  const store = await openStore(options.databaseUrl ?? `sqlite:${path.join(directory!, "scimkit.db")}`);
  await store.migrate();
  const token = testToken();
  const basePath = options.basePath ?? "/scim/v2";
  const app = buildServer({ store, tokens: [token], basePath });
  await app.ready();
  return {
    app,
    token,
    async call(method, pathAndQuery, body, callOptions = {}) {
      let url = `${basePath}${pathAndQuery}`;
      if (callOptions.dialect === "aadOptscim062020")
        url += `${url.includes("?") ? "&" : "?"}aadOptscim062020`;
      const payload = callOptions.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
      const response = await app.inject({
        method: method as "GET",
        url,
        headers: {
          // Entra sends no User-Agent; light-my-request would add one unless told not to.
          "user-agent": undefined,
          authorization: `Bearer ${token}`,
          ...(payload === undefined ? {} : { "content-type": "application/scim+json" }),
          ...callOptions.headers,
        },
        ...(payload === undefined ? {} : { payload }),
      });
      let parsed: unknown;
      try {
        parsed = response.body === "" ? undefined : JSON.parse(response.body);
      } catch {
        parsed = undefined;
      }
      return { status: response.statusCode, headers: response.headers, body: parsed, text: response.body };
    },
    async close() {
      await app.close();
      if (directory) fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Entra's query strings use + for spaces. */
export function filterQuery(filter: string): string {
  return `filter=${encodeURIComponent(filter).replace(/%20/g, "+")}`;
}
