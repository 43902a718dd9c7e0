/**
 * CRUD of one resource type (/Users or /Groups) over the store, RFC 7644 §3.3–§3.6. Requests arrive
 * raw; entra-dialect.ts normalises them, coerce.ts shapes them, patch/ applies PATCH, render.ts and
 * projection.ts shape the answer.
 */
import type { MemberOperation, Store, StoredResource } from "../../store/contract";
import { normalisePatchRequest, normaliseResourceBody } from "../entra-dialect";
import { ScimError } from "../errors";
import { parseFilter } from "../filter/parser";
import { applyPatch } from "../patch/apply";
import { memberIds } from "../patch/members";
import type { ScimResponse } from "../request";
import type { ResourceTypeDefinition } from "../schemas/resource-types";
import { coerceResourceAttributes, type JsonObject } from "./coerce";
import { checkDocument } from "./document-rules";
import { expectedVersionOf } from "./if-match";
import { listResponse, type Page } from "./list-response";
import { applyProjection, isProjected, keepsAttribute, type Projection, parseProjection } from "./projection";
import { renderResource, resourceLocation, versionTag } from "./render";

export interface ListParameters {
  readonly filter?: string;
  readonly page: Page;
  readonly query: URLSearchParams;
}

export class ResourceEndpoint {
  constructor(
    private readonly store: Store,
    readonly resourceType: ResourceTypeDefinition,
  ) {}

  /** GET /Users?filter=…, RFC 7644 §3.4.2. */
  async list({ filter, page, query }: ListParameters, baseUrl: string): Promise<ScimResponse> {
    const projection = parseProjection(query, this.resourceType);
    const parsedFilter = filter?.trim() ? parseFilter(filter, this.resourceType) : undefined;
    const result = await this.store.query(this.resourceType.name, {
      ...(parsedFilter ? { filter: parsedFilter } : {}),
      startIndex: page.startIndex,
      count: page.count,
      includeMembers: this.readsMembers(projection),
    });
    const resources = result.resources.map((resource) => this.present(resource, projection, baseUrl));
    return { status: 200, body: listResponse(resources, result.totalResults, page.startIndex) };
  }

  /** GET /Users/{id}, RFC 7644 §3.4.1. */
  async get(id: string, query: URLSearchParams, baseUrl: string): Promise<ScimResponse> {
    const projection = parseProjection(query, this.resourceType);
    const resource = await this.store.get(this.resourceType.name, id, {
      includeMembers: this.readsMembers(projection),
    });
    if (!resource) throw this.notFound(id);
    return this.single(200, resource, projection, baseUrl);
  }

  /** POST /Users, RFC 7644 §3.3: 201 with the full resource and Location. */
  async create(body: unknown, query: URLSearchParams, baseUrl: string): Promise<ScimResponse> {
    const projection = parseProjection(query, this.resourceType);
    const { document, members } = this.documentFromBody(body);
    checkDocument(this.resourceType, document);
    let created = await this.store.create({
      type: this.resourceType.name,
      document,
      ...(members !== undefined ? { members } : {}),
    });
    if (this.isGroup() && created.members === undefined) {
      // The store returns members only when asked: a group created without members has none (Entra expects
      // `members: []`); one created with members is read back, with display names, when the answer shows them.
      if (!members?.length) created = { ...created, members: [] };
      else if (this.readsMembers(projection)) {
        created = (await this.store.get("Group", created.id, { includeMembers: true })) ?? created;
      }
    }
    const response = this.single(201, created, projection, baseUrl);
    return {
      ...response,
      headers: { ...response.headers, Location: resourceLocation(baseUrl, this.resourceType, created.id) },
    };
  }

  /**
   * PUT /Users/{id}, RFC 7644 §3.5.1: the body replaces every readWrite attribute; `id` cannot change
   * (400 mutability). For groups, members are replaced too (absent members → none).
   */
  async replace(
    id: string,
    body: unknown,
    query: URLSearchParams,
    baseUrl: string,
    ifMatch?: string,
  ): Promise<ScimResponse> {
    const projection = parseProjection(query, this.resourceType);
    const bodyId = typeof body === "object" && body !== null ? (body as JsonObject).id : undefined;
    if (bodyId !== undefined && bodyId !== null && bodyId !== id) {
      throw new ScimError(
        400,
        "mutability",
        `id is immutable: the body says ${JSON.stringify(bodyId)}, the URL says "${id}"`,
      );
    }
    const { document, members } = this.documentFromBody(body);
    checkDocument(this.resourceType, document);
    const memberOps: MemberOperation[] = this.isGroup()
      ? [
          { op: "removeAll" },
          ...(members && members.length > 0 ? [{ op: "add" as const, ids: members }] : []),
        ]
      : [];
    const updated = await this.store.update(this.resourceType.name, id, () => ({ document, memberOps }), {
      includeMembers: this.readsMembers(projection),
      ...this.expectedVersion(ifMatch),
    });
    if (!updated) throw this.notFound(id);
    return this.single(200, updated, projection, baseUrl);
  }

  /**
   * PATCH /Users/{id}, RFC 7644 §3.5.2: 204 No Content, or 200 with the resource when the client asked
   * for `attributes`/`excludedAttributes` (RFC 7644 §3.5.2 allows either). The wire doc: Entra takes 200
   * or 204 for users and expects 204 for groups; Microsoft's Postman collection requires 204 for users too.
   * A 204 for a group never reads its members. An empty Operations array changes nothing (the SCIM
   * Validator sends one).
   */
  async patch(
    id: string,
    body: unknown,
    query: URLSearchParams,
    baseUrl: string,
    ifMatch?: string,
  ): Promise<ScimResponse> {
    const projection = parseProjection(query, this.resourceType);
    const operations = normalisePatchRequest(body, this.resourceType);
    const answersWithBody = isProjected(projection);
    const includeMembers = answersWithBody && this.readsMembers(projection);
    const resource =
      operations.length === 0
        ? await this.store.get(this.resourceType.name, id, { includeMembers })
        : await this.store.update(
            this.resourceType.name,
            id,
            (current) => {
              const { document, memberOps } = applyPatch(current.document, operations, this.resourceType);
              checkDocument(this.resourceType, document);
              return { document, memberOps };
            },
            { includeMembers, ...this.expectedVersion(ifMatch) },
          );
    if (!resource) throw this.notFound(id);
    if (!answersWithBody) return { status: 204, headers: { ETag: versionTag(resource.version) } };
    return this.single(200, resource, projection, baseUrl);
  }

  /** DELETE /Users/{id}, RFC 7644 §3.6: 204, or 404 when there is nothing to delete. */
  async delete(id: string): Promise<ScimResponse> {
    if (!(await this.store.delete(this.resourceType.name, id))) throw this.notFound(id);
    return { status: 204 };
  }

  private documentFromBody(body: unknown): { document: JsonObject; members?: string[] } {
    const attributes = coerceResourceAttributes(
      this.resourceType,
      normaliseResourceBody(body, this.resourceType),
    );
    if (!this.isGroup()) return { document: attributes };
    const { members, ...document } = attributes;
    return { document, members: memberIds(members) };
  }

  private single(
    status: number,
    resource: StoredResource,
    projection: Projection,
    baseUrl: string,
  ): ScimResponse {
    return {
      status,
      body: this.present(resource, projection, baseUrl),
      headers: { ETag: versionTag(resource.version) },
    };
  }

  private present(resource: StoredResource, projection: Projection, baseUrl: string): JsonObject {
    return applyProjection(renderResource(resource, this.resourceType, baseUrl), projection);
  }

  /** `excludedAttributes=members` (or `attributes` without members) must never read members. */
  private readsMembers(projection: Projection): boolean {
    return this.isGroup() && keepsAttribute(projection, "members");
  }

  private expectedVersion(ifMatch: string | undefined): { expectedVersion?: number } {
    const expectedVersion = expectedVersionOf(ifMatch);
    return expectedVersion === undefined ? {} : { expectedVersion };
  }

  private isGroup(): boolean {
    return this.resourceType.name === "Group";
  }

  private notFound(id: string): ScimError {
    return new ScimError(404, undefined, `${this.resourceType.name} "${id}" not found`);
  }
}
