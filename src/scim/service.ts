/**
 * The single entry point of the SCIM protocol layer: the HTTP layer hands every SCIM call to
 * `ScimProtocol.handle` and renders what it returns (or the ScimError it throws). Routes, relative to
 * the base path (RFC 7644 §3.2): /Users, /Groups (and /{id}, /.search), /ServiceProviderConfig,
 * /ResourceTypes[/{id}], /Schemas[/{id}]. Endpoint names are matched case-insensitively because some
 * clients (Microsoft's Postman collection) call `/users`.
 *
 *   const protocol = new ScimProtocol(await openStore(databaseUrl), { maxResults: 200 });
 *   const response = await protocol.handle({ method: "GET", path: "/Users", query, baseUrl });
 */
import type { Store } from "../store/contract";
import { MethodNotAllowedError, ScimError } from "./errors";
import type { ScimProtocolOptions, ScimRequest, ScimResponse } from "./request";
import { isJsonObject } from "./resource/coerce";
import { listResponse, parsePage } from "./resource/list-response";
import { ResourceEndpoint } from "./resource/resource-endpoint";
import {
  findResourceTypeById,
  findSchemaById,
  resourceTypeResource,
  schemaResource,
  serviceProviderConfig,
} from "./schemas/discovery";
import { allSchemas, groupResourceType, resourceTypes, userResourceType } from "./schemas/resource-types";
import { unstorableTextIn } from "./unstorable-text";

export type { ScimProtocolOptions, ScimRequest, ScimResponse } from "./request";

const SEARCH_REQUEST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";

export class ScimProtocol {
  private readonly maxResults: number;
  private readonly defaultCount: number;
  private readonly endpoints: ReadonlyMap<string, ResourceEndpoint>;

  constructor(store: Store, options: ScimProtocolOptions = {}) {
    this.maxResults = options.maxResults ?? 200;
    this.defaultCount = Math.min(options.defaultCount ?? 100, this.maxResults);
    this.endpoints = new Map([
      ["users", new ResourceEndpoint(store, userResourceType)],
      ["groups", new ResourceEndpoint(store, groupResourceType)],
    ]);
  }

  async handle(request: ScimRequest): Promise<ScimResponse> {
    const segments = request.path.split("/").filter((segment) => segment !== "");
    const [first = "", id, ...rest] = segments;
    if (rest.length > 0) throw notFound(request.path);
    // No resource id or endpoint name holds NUL; answered here, the same on every engine.
    if (unstorableTextIn(request.path) !== undefined) throw notFound(request.path);
    const endpoint = this.endpoints.get(first.toLowerCase());
    if (endpoint) return this.handleResource(endpoint, id, request);
    switch (first.toLowerCase()) {
      case "serviceproviderconfig":
      case "serviceproviderconfigs":
        return this.discovery(request, () => {
          if (id !== undefined) throw notFound(request.path);
          return serviceProviderConfig(request.baseUrl, this.maxResults);
        });
      case "resourcetypes":
        return this.discovery(request, () => {
          if (id === undefined)
            return discoveryList(resourceTypes.map((type) => resourceTypeResource(type, request.baseUrl)));
          const resourceType = findResourceTypeById(id);
          if (!resourceType)
            throw new ScimError(404, undefined, `resource type "${id}" not found; there are User and Group`);
          return resourceTypeResource(resourceType, request.baseUrl);
        });
      case "schemas":
        return this.discovery(request, () => {
          if (id === undefined)
            return discoveryList(allSchemas.map((schema) => schemaResource(schema, request.baseUrl)));
          const schema = findSchemaById(id);
          if (!schema) throw new ScimError(404, undefined, `schema "${id}" not found`);
          return schemaResource(schema, request.baseUrl);
        });
      case "bulk":
        // RFC 7644 §3.12 would allow 501, but a client's request never earns a 5xx here (5xx reads as a
        // server fault to monitors and retry logic); ServiceProviderConfig says bulk.supported=false.
        throw new ScimError(
          404,
          undefined,
          "bulk operations are not supported: there is no /Bulk endpoint (see /ServiceProviderConfig)",
        );
      default:
        throw notFound(request.path);
    }
  }

  private async handleResource(
    endpoint: ResourceEndpoint,
    id: string | undefined,
    request: ScimRequest,
  ): Promise<ScimResponse> {
    const { query, body, baseUrl, ifMatch } = request;
    const method = request.method.toUpperCase();
    if (id === undefined) {
      if (method === "GET") {
        const filter = query.get("filter") ?? undefined;
        return endpoint.list(
          { ...(filter !== undefined ? { filter } : {}), page: this.page(query), query },
          baseUrl,
        );
      }
      if (method === "POST") return endpoint.create(body, query, baseUrl);
      throw methodNotAllowed(method, request.path, "GET, POST");
    }
    if (id === ".search") {
      if (method !== "POST") throw methodNotAllowed(method, request.path, "POST");
      return endpoint.list(this.searchParameters(body), baseUrl);
    }
    switch (method) {
      case "GET":
        return endpoint.get(id, query, baseUrl);
      case "PUT":
        return endpoint.replace(id, body, query, baseUrl, ifMatch);
      case "PATCH":
        return endpoint.patch(id, body, query, baseUrl, ifMatch);
      case "DELETE":
        return endpoint.delete(id);
      default:
        throw methodNotAllowed(method, request.path, "GET, PUT, PATCH, DELETE");
    }
  }

  /** RFC 7644 §3.4.3: POST /.search carries the query parameters in a SearchRequest body. */
  private searchParameters(body: unknown) {
    if (!isJsonObject(body)) {
      throw new ScimError(400, "invalidSyntax", `the body must be a ${SEARCH_REQUEST_SCHEMA} object`);
    }
    const query = new URLSearchParams();
    for (const key of ["filter", "startIndex", "count"] as const) {
      if (body[key] !== undefined && body[key] !== null) query.set(key, String(body[key]));
    }
    for (const key of ["attributes", "excludedAttributes"] as const) {
      const value = body[key];
      if (Array.isArray(value)) query.set(key, value.join(","));
      else if (typeof value === "string") query.set(key, value);
    }
    const filter = query.get("filter") ?? undefined;
    return { ...(filter !== undefined ? { filter } : {}), page: this.page(query), query };
  }

  private page(query: URLSearchParams) {
    return parsePage(query, this.defaultCount, this.maxResults);
  }

  /** Discovery endpoints are read-only; RFC 7644 §4: a filter on them SHOULD be answered with 403. */
  private discovery(request: ScimRequest, build: () => unknown): ScimResponse {
    if (request.method.toUpperCase() !== "GET") throw methodNotAllowed(request.method, request.path, "GET");
    if (request.query.get("filter")) {
      throw new ScimError(403, undefined, "filtering is not supported on discovery endpoints (RFC 7644 §4)");
    }
    return { status: 200, body: build() };
  }
}

function discoveryList(resources: readonly Record<string, unknown>[]) {
  return listResponse(resources, resources.length, 1);
}

function notFound(path: string): ScimError {
  return new ScimError(
    404,
    undefined,
    `no SCIM endpoint at "${path}"; try /Users, /Groups, /Schemas, /ResourceTypes or /ServiceProviderConfig`,
  );
}

function methodNotAllowed(method: string, path: string, allowed: string): ScimError {
  const allow = allowed.split(", ");
  return new MethodNotAllowedError(allow, `${method} is not allowed on "${path}"; use ${allowed}`);
}
