/**
 * A small in-memory SCIM endpoint standing in for a *vendor's* endpoint in the validate tests. Correct
 * by default (validate must pass against it); each quirk reproduces one real-world bug from
 * ../shared/docs/entra-scim-wire.md so the tests can prove validate names the check that catches it.
 * Deliberately independent of src/: it is a test double of someone else's server.
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Quirks {
  /** Answers 404 instead of an empty ListResponse when a filter matches nothing (quarantines Entra jobs). */
  readonly notFoundOnEmptyFilter?: boolean;
  /** Compares userName case-sensitively in filters (Entra then creates duplicates or fails). */
  readonly caseSensitiveUserName?: boolean;
  /** Rejects the string booleans `"True"`/`"False"` Entra's default dialect sends for `active`. */
  readonly rejectsStringBooleans?: boolean;
  /** Treats `{"op":"Remove","path":"members","value":[…]}` as "remove all members". */
  readonly legacyMemberRemovalWipesGroup?: boolean;
  /** Refuses every DELETE with a 500 (validate must report what it could not clean up). */
  readonly refusesDeletes?: boolean;
  /** Copies the Authorization header it received into error details (lets tests prove redaction). */
  readonly echoesAuthorizationInErrors?: boolean;
}

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
type Json = Record<string, unknown>;
interface Resource {
  id: string;
  type: "User" | "Group";
  document: Json;
  members: string[];
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly scimType: string | undefined,
    detail: string,
  ) {
    super(detail);
  }
}

export interface RunningEndpoint {
  readonly url: string;
  readonly token: string;
  /** Everything stored, to assert validate cleaned up after itself. */
  readonly resources: Map<string, Resource>;
  /** Every request line received, to assert what the client sent. */
  readonly requests: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[];
  /** TCP connections accepted so far (keep-alive clients reuse a few). */
  connections(): number;
  close(): Promise<void>;
}

export async function startInMemoryScimEndpoint(quirks: Quirks = {}): Promise<RunningEndpoint> {
  const token = `test-token-${randomUUID()}`;
  const resources = new Map<string, Resource>();
  const requests: RunningEndpoint["requests"] = [];

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      requests.push({ method: request.method ?? "", url: request.url ?? "", headers: request.headers, body });
      let status = 200;
      let payload: unknown;
      try {
        if (request.headers.authorization !== `Bearer ${token}`)
          throw new HttpError(401, undefined, "bad token");
        [status, payload] = route(request.method ?? "GET", new URL(request.url ?? "/", "http://x"), body);
      } catch (error) {
        const httpError = error instanceof HttpError ? error : new HttpError(500, undefined, String(error));
        status = httpError.status;
        payload = {
          schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
          status: String(status),
          ...(httpError.scimType ? { scimType: httpError.scimType } : {}),
          detail: quirks.echoesAuthorizationInErrors
            ? `${httpError.message} (you sent ${request.headers.authorization})`
            : httpError.message,
        };
      }
      response.writeHead(status, payload === undefined ? {} : { "Content-Type": "application/scim+json" });
      response.end(payload === undefined ? undefined : JSON.stringify(payload));
    });
  });

  function route(method: string, url: URL, bodyText: string): [number, unknown] {
    const parts = url.pathname.split("/").filter(Boolean);
    const [collection, id] =
      parts.slice(-2).length === 2 && ["Users", "Groups"].includes(parts.at(-2)!)
        ? [parts.at(-2)!, parts.at(-1)!]
        : [parts.at(-1) ?? "", undefined];
    if (collection === "ServiceProviderConfig") {
      return [
        200,
        {
          schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
          patch: { supported: true },
          filter: { supported: true, maxResults: 200 },
          bulk: { supported: false },
          changePassword: { supported: false },
          sort: { supported: false },
          etag: { supported: false },
          authenticationSchemes: [],
        },
      ];
    }
    if (collection === "Schemas") {
      return [
        200,
        list(
          [
            { id: "urn:ietf:params:scim:schemas:core:2.0:User" },
            { id: "urn:ietf:params:scim:schemas:core:2.0:Group" },
          ],
          2,
          1,
        ),
      ];
    }
    if (collection === "ResourceTypes") return [200, list([{ name: "User" }, { name: "Group" }], 2, 1)];
    if (collection !== "Users" && collection !== "Groups")
      throw new HttpError(404, undefined, "no such endpoint");
    const type = collection === "Users" ? "User" : "Group";
    const excludeMembers = url.searchParams.get("excludedAttributes") === "members";
    if (!id) {
      if (method === "GET") return [200, query(type, url, excludeMembers)];
      if (method === "POST") return [201, render(create(type, JSON.parse(bodyText)), false)];
      throw new HttpError(405, undefined, "method not allowed");
    }
    const resource = resources.get(id);
    if (!resource || resource.type !== type) throw new HttpError(404, undefined, `${type} ${id} not found`);
    if (method === "GET") return [200, render(resource, excludeMembers)];
    if (method === "DELETE") {
      if (quirks.refusesDeletes) throw new HttpError(500, undefined, "deletes are broken");
      resources.delete(id);
      for (const other of resources.values()) other.members = other.members.filter((member) => member !== id);
      return [204, undefined];
    }
    if (method === "PATCH") {
      patch(resource, JSON.parse(bodyText));
      return type === "Group" ? [204, undefined] : [200, render(resource, false)];
    }
    throw new HttpError(405, undefined, "method not allowed");
  }

  function list(items: unknown[], total: number, startIndex: number) {
    return {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
      totalResults: total,
      startIndex,
      itemsPerPage: items.length,
      Resources: items,
    };
  }

  function nameOf(resource: Resource): string {
    return String(resource.type === "User" ? resource.document.userName : resource.document.displayName);
  }

  function query(type: "User" | "Group", url: URL, excludeMembers: boolean) {
    let matches = [...resources.values()].filter((resource) => resource.type === type);
    const filter = url.searchParams.get("filter");
    if (filter) {
      const parsed = /^(\w+) (eq|sw) "(.*)"$/.exec(filter);
      if (!parsed) throw new HttpError(400, "invalidFilter", `unsupported filter ${filter}`);
      const [, attribute, operator, value] = parsed;
      const caseExact =
        attribute === "externalId" || (attribute === "userName" && quirks.caseSensitiveUserName);
      const fold = (text: string) => (caseExact ? text : text.toLowerCase());
      matches = matches.filter((resource) => {
        const actual = resource.document[attribute];
        if (typeof actual !== "string") return false;
        return operator === "eq" ? fold(actual) === fold(value) : fold(actual).startsWith(fold(value));
      });
    }
    if (matches.length === 0 && quirks.notFoundOnEmptyFilter) throw new HttpError(404, undefined, "no match");
    const startIndex = Math.max(1, Number(url.searchParams.get("startIndex") ?? 1));
    const count = Math.max(0, Number(url.searchParams.get("count") ?? 100));
    const page = matches.slice(startIndex - 1, startIndex - 1 + count);
    return list(
      page.map((resource) => render(resource, excludeMembers)),
      matches.length,
      startIndex,
    );
  }

  function create(type: "User" | "Group", body: Json): Resource {
    const document: Json = {};
    for (const [key, value] of Object.entries(body)) {
      if (key === "schemas" || key === "meta" || key === "members" || value === null) continue;
      document[key] = value;
    }
    const name = String(type === "User" ? document.userName : document.displayName);
    for (const other of resources.values()) {
      if (other.type === type && nameOf(other).toLowerCase() === name.toLowerCase()) {
        throw new HttpError(409, "uniqueness", `${name} is taken`);
      }
    }
    if (type === "User") document.active = booleanOf(document.active ?? true);
    const resource: Resource = { id: randomUUID(), type, document, members: [] };
    resources.set(resource.id, resource);
    return resource;
  }

  function booleanOf(value: unknown): boolean {
    if (typeof value === "boolean") return value;
    if (typeof value === "string" && !quirks.rejectsStringBooleans && /^(true|false)$/i.test(value)) {
      return value.toLowerCase() === "true";
    }
    throw new HttpError(400, "invalidValue", `not a boolean: ${JSON.stringify(value)}`);
  }

  function patch(resource: Resource, body: Json) {
    for (const operation of (body.Operations as Json[]) ?? []) {
      const op = String(operation.op).toLowerCase();
      const path = operation.path as string | undefined;
      if (path === undefined) {
        for (const [key, value] of Object.entries(operation.value as Json)) apply(resource, op, key, value);
      } else apply(resource, op, path, operation.value);
    }
  }

  function apply(resource: Resource, op: string, path: string, value: unknown) {
    const document = resource.document;
    const memberFilter = /^members\[value eq "(.+)"\]$/.exec(path);
    if (memberFilter) {
      resource.members = resource.members.filter((member) => member !== memberFilter[1]);
    } else if (path === "members") {
      const ids = ((value as Json[]) ?? []).map((member) => String(member.value));
      if (op === "add") resource.members = [...new Set([...resource.members, ...ids])];
      else if (op === "remove" && (quirks.legacyMemberRemovalWipesGroup || value === undefined))
        resource.members = [];
      else if (op === "remove") resource.members = resource.members.filter((member) => !ids.includes(member));
      else resource.members = ids;
    } else if (path === "active") {
      document.active = booleanOf(value);
    } else if (path === 'emails[type eq "work"].value') {
      const emails = ((document.emails as Json[]) ?? []).filter((email) => email.type !== "work");
      document.emails = [...emails, { type: "work", primary: true, value }];
    } else if (path.startsWith(`${ENTERPRISE}:`)) {
      const attribute = path.slice(ENTERPRISE.length + 1);
      const extension = { ...((document[ENTERPRISE] as Json) ?? {}) };
      if (op === "remove") delete extension[attribute];
      else extension[attribute] = attribute === "manager" && typeof value === "string" ? { value } : value;
      document[ENTERPRISE] = extension;
    } else if (path.includes(".")) {
      const [parent, child] = path.split(".");
      const complex = { ...((document[parent] as Json) ?? {}) };
      if (op === "remove") delete complex[child];
      else complex[child] = value;
      document[parent] = complex;
    } else if (op === "remove") delete document[path];
    else document[path] = value;
  }

  function render(resource: Resource, excludeMembers: boolean): Json {
    const core = `urn:ietf:params:scim:schemas:core:2.0:${resource.type}`;
    return {
      schemas: resource.type === "User" ? [core, ENTERPRISE] : [core],
      id: resource.id,
      ...resource.document,
      ...(resource.type === "Group" && !excludeMembers
        ? { members: resource.members.map((value) => ({ value, display: nameOf(resources.get(value)!) })) }
        : {}),
      meta: { resourceType: resource.type, location: `/${resource.type}s/${resource.id}` },
    };
  }

  let connections = 0;
  server.on("connection", () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/scim`,
    token,
    resources,
    requests,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
