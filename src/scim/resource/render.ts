/**
 * StoredResource → the SCIM JSON a client receives (RFC 7643 §3): `schemas` (core plus each extension
 * present), `id`, the stored attributes, group `members`, and `meta` (RFC 7643 §3.1).
 */
import type { StoredResource } from "../../store/contract";
import type { ResourceTypeDefinition } from "../schemas/resource-types";
import type { JsonObject } from "./coerce";

/** RFC 7644 §3.14 weak entity tag of a stored version. */
export function versionTag(version: number): string {
  return `W/"${version}"`;
}

export function resourceLocation(baseUrl: string, resourceType: ResourceTypeDefinition, id: string): string {
  return `${baseUrl}${resourceType.endpoint}/${encodeURIComponent(id)}`;
}

export function renderResource(
  resource: StoredResource,
  resourceType: ResourceTypeDefinition,
  baseUrl: string,
): JsonObject {
  const extensions = resourceType.extensions
    .map(({ schema }) => schema.id)
    .filter((urn) => resource.document[urn] !== undefined);
  const members = resource.members?.map((member) => ({
    value: member.value,
    display: member.display,
    type: member.type,
    $ref: `${baseUrl}/${member.type === "User" ? "Users" : "Groups"}/${encodeURIComponent(member.value)}`,
  }));
  return {
    schemas: [resourceType.schema.id, ...extensions],
    id: resource.id,
    ...resource.document,
    ...(members ? { members } : {}),
    meta: {
      resourceType: resourceType.name,
      created: resource.created.toISOString(),
      lastModified: resource.lastModified.toISOString(),
      location: resourceLocation(baseUrl, resourceType, resource.id),
      version: versionTag(resource.version),
    },
  };
}
