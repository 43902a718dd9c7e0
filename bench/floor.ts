/**
 * The benchmark's floor: a bare node:http server answering the requests `scimkit simulate` sends with
 * the SAME store calls (hence the same SQL statements, schema and indexes, through openStore) as the
 * scimkit service, and nothing else: no SCIM validation, no normalisation, no PATCH engine, minimal JSON.
 * Whatever scimkit spends above this floor is its HTTP framework and SCIM logic.
 *
 *   DATABASE_URL=sqlite:/tmp/floor.db SCIM_TOKENS=t PORT=0 node --import tsx bench/floor.ts
 *
 * Prints `floor listening at http://127.0.0.1:<port>/scim/v2` when ready.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { FilterNode } from "../src/scim/filter/ast";
import type { MemberOperation, ResourceType, Store } from "../src/store/contract";
import { openStore } from "../src/store/index";

const BASE_PATH = "/scim/v2";
type Json = Record<string, unknown>;

class FloorError extends Error {
  constructor(readonly status: number) {
    super(String(status));
  }
}

/** `userName eq "…"`, `displayName eq "…"`, `externalId eq "…"`: the only filters Entra sends. */
function eqFilter(filter: string): FilterNode {
  const match = /^(userName|displayName|externalId) eq "(.*)"$/.exec(filter);
  if (!match) throw new FloorError(400);
  return {
    kind: "compare",
    path: { attribute: match[1] },
    op: "eq",
    value: match[2],
    traits: { type: "string", caseExact: match[1] === "externalId", multiValued: false },
  };
}

function withoutEnvelope(body: Json): Json {
  const { schemas: _schemas, meta: _meta, members: _members, ...document } = body;
  return document;
}

/** Members ops of a group PATCH, read without any SCIM path parsing beyond the two Entra forms. */
function memberOps(body: Json): MemberOperation[] {
  const operations: MemberOperation[] = [];
  for (const operation of (body.Operations as Json[]) ?? []) {
    const op = String(operation.op).toLowerCase();
    const path = String(operation.path ?? "");
    const byFilter = /^members\[value eq "(.+)"\]$/.exec(path);
    if (byFilter) operations.push({ op: "remove", ids: [byFilter[1]] });
    else if (path === "members") {
      const ids = ((operation.value as Json[]) ?? []).map((member) => String(member.value));
      operations.push({ op: op === "add" ? "add" : "remove", ids });
    }
  }
  return operations;
}

/** A user PATCH applied as a flat merge of path → value: the same store write, none of the semantics. */
function mergeUserPatch(document: Json, body: Json): Json {
  const next: Json = { ...document };
  for (const operation of (body.Operations as Json[]) ?? []) {
    if (operation.path === undefined) Object.assign(next, operation.value as Json);
    else next[String(operation.path)] = operation.value;
  }
  return next;
}

async function handle(store: Store, method: string, url: URL, bodyText: string): Promise<[number, unknown]> {
  const [collection, id] = url.pathname.slice(BASE_PATH.length + 1).split("/");
  const type: ResourceType =
    collection === "Users"
      ? "User"
      : collection === "Groups"
        ? "Group"
        : (() => {
            throw new FloorError(404);
          })();
  if (!id && method === "GET") {
    const filter = url.searchParams.get("filter");
    const result = await store.query(type, {
      ...(filter ? { filter: eqFilter(filter) } : {}),
      startIndex: 1,
      count: 100,
      includeMembers: false,
    });
    const resources = result.resources.map((resource) => ({ id: resource.id, ...resource.document }));
    return [200, { totalResults: result.totalResults, Resources: resources }];
  }
  if (!id && method === "POST") {
    const created = await store.create({ type, document: withoutEnvelope(JSON.parse(bodyText)) });
    return [201, { id: created.id, ...created.document }];
  }
  if (!id) throw new FloorError(405);
  if (method === "GET") {
    const found = await store.get(type, id, {
      includeMembers: url.searchParams.get("excludedAttributes") !== "members",
    });
    if (!found) throw new FloorError(404);
    return [200, { id: found.id, ...found.document, ...(found.members ? { members: found.members } : {}) }];
  }
  if (method === "DELETE") {
    if (!(await store.delete(type, id))) throw new FloorError(404);
    return [204, undefined];
  }
  if (method === "PATCH") {
    const body = JSON.parse(bodyText) as Json;
    const updated = await store.update(
      type,
      id,
      (current) =>
        type === "Group"
          ? { memberOps: memberOps(body) }
          : { document: mergeUserPatch(current.document as Json, body) },
      { includeMembers: false },
    );
    if (!updated) throw new FloorError(404);
    return [204, undefined];
  }
  throw new FloorError(405);
}

export function createFloorServer(store: Store, tokens: readonly string[]): http.Server {
  const accepted = new Set(tokens.map((token) => `Bearer ${token}`));
  return http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const reply = (status: number, body: unknown) => {
        const text = body === undefined ? undefined : JSON.stringify(body);
        response.writeHead(status, text === undefined ? {} : { "Content-Type": "application/scim+json" });
        response.end(text);
      };
      if (!accepted.has(request.headers.authorization ?? "")) return reply(401, { status: "401" });
      handle(
        store,
        request.method ?? "GET",
        new URL(request.url ?? "/", "http://floor"),
        Buffer.concat(chunks).toString(),
      )
        .then(([status, body]) => reply(status, body))
        .catch((error: { status?: unknown }) => {
          const status = typeof error.status === "number" ? error.status : 500;
          reply(status, { status: String(status) });
        });
    });
  });
}

async function main(): Promise<void> {
  const tokens = (process.env.SCIM_TOKENS ?? "").split(",").filter(Boolean);
  if (tokens.length === 0) throw new Error("SCIM_TOKENS must name at least one bearer token");
  const store = await openStore(process.env.DATABASE_URL);
  await store.migrate();
  const server = createFloorServer(store, tokens);
  server.keepAliveTimeout = 65_000;
  server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
    const { port } = server.address() as AddressInfo;
    process.stdout.write(`floor listening at http://127.0.0.1:${port}${BASE_PATH}\n`);
  });
  process.on("SIGTERM", () => server.close(() => store.close().then(() => process.exit(0))));
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`floor: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
