/**
 * RFC 7644 §3.4.2.5 `attributes` / `excludedAttributes`. Names are attribute paths
 * (`userName`, `name.givenName`, `urn:…:enterprise:2.0:User:manager`, or an extension URN alone), resolved
 * case-insensitively; unknown names are ignored rather than rejected. Attributes returned "always"
 * (`id`, and `schemas`, which is not an attribute) survive any projection.
 */

import { findExtension, resolveAttributePath } from "../schemas/resolve";
import type { ResourceTypeDefinition } from "../schemas/resource-types";
import { isJsonObject, type JsonObject } from "./coerce";
import { cloneJson } from "./json-clone";

interface ProjectedPath {
  /** Key of the object holding the attribute: an extension URN, or undefined for the top level. */
  readonly schema?: string;
  /** undefined: the whole extension. */
  readonly attribute?: string;
  readonly subAttribute?: string;
}

export interface Projection {
  /** Only these (plus "always" attributes), when the client sent `attributes`. */
  readonly include?: readonly ProjectedPath[];
  readonly exclude: readonly ProjectedPath[];
}

export function parseProjection(query: URLSearchParams, resourceType: ResourceTypeDefinition): Projection {
  const include = query.get("attributes");
  const exclude = query.get("excludedAttributes");
  return {
    ...(include?.trim() ? { include: parsePaths(include, resourceType) } : {}),
    exclude: exclude ? parsePaths(exclude, resourceType) : [],
  };
}

/** Whether the projection keeps a top-level core attribute (decides, e.g., whether to read members). */
export function keepsAttribute(projection: Projection, attribute: string): boolean {
  if (projection.exclude.some((path) => !path.schema && path.attribute === attribute && !path.subAttribute))
    return false;
  if (!projection.include) return true;
  return projection.include.some((path) => !path.schema && path.attribute === attribute);
}

export function isProjected(projection: Projection): boolean {
  return projection.include !== undefined || projection.exclude.length > 0;
}

export function applyProjection(resource: JsonObject, projection: Projection): JsonObject {
  if (!isProjected(projection)) return resource;
  let result = cloneJson(resource);
  if (projection.include) {
    result = { schemas: resource.schemas, id: resource.id };
    for (const path of projection.include) copyPath(resource, result, path);
  }
  for (const path of projection.exclude) removePath(result, path);
  return result;
}

function parsePaths(list: string, resourceType: ResourceTypeDefinition): ProjectedPath[] {
  const paths: ProjectedPath[] = [];
  for (const raw of list.split(",")) {
    // Lenient: `emails[type eq "work"]` (not RFC 7644 §3.10 notation, sent by Microsoft's Postman
    // collection) is read as the attribute it filters, `emails`.
    const text = raw.replace(/\[[^\]]*\]/, "").trim();
    const extension = text ? findExtension(resourceType, text) : undefined;
    if (extension) {
      paths.push({ schema: extension.id });
      continue;
    }
    const resolved = text ? resolveAttributePath(resourceType, text) : undefined;
    if (!resolved) continue;
    paths.push({
      ...(resolved.schema ? { schema: resolved.schema } : {}),
      attribute: resolved.definition.name,
      ...(resolved.subAttribute ? { subAttribute: resolved.subAttribute.name } : {}),
    });
  }
  return paths;
}

function copyPath(from: JsonObject, to: JsonObject, path: ProjectedPath): void {
  const source = path.schema ? from[path.schema] : from;
  if (!isJsonObject(source)) return;
  if (path.attribute === undefined) {
    to[path.schema!] = source;
    return;
  }
  const target = path.schema ? ensureObject(to, path.schema) : to;
  const value = source[path.attribute];
  if (value === undefined) return;
  if (!path.subAttribute) {
    target[path.attribute] = value;
  } else if (Array.isArray(value)) {
    const existing = Array.isArray(target[path.attribute])
      ? (target[path.attribute] as JsonObject[])
      : value.map(() => ({}));
    target[path.attribute] = value.map((element, index) =>
      isJsonObject(element) && element[path.subAttribute!] !== undefined
        ? { ...existing[index], [path.subAttribute!]: element[path.subAttribute!] }
        : existing[index],
    );
  } else if (isJsonObject(value) && value[path.subAttribute] !== undefined) {
    ensureObject(target, path.attribute)[path.subAttribute] = value[path.subAttribute];
  }
}

function removePath(resource: JsonObject, path: ProjectedPath): void {
  if (!path.schema && (path.attribute === "id" || path.attribute === undefined)) return;
  if (path.attribute === undefined) {
    delete resource[path.schema!];
    return;
  }
  const holder = path.schema ? resource[path.schema] : resource;
  if (!isJsonObject(holder)) return;
  if (!path.subAttribute) {
    delete holder[path.attribute];
    return;
  }
  const value = holder[path.attribute];
  const strip = (element: unknown) => {
    if (!isJsonObject(element)) return element;
    const { [path.subAttribute!]: _removed, ...rest } = element;
    return rest;
  };
  if (Array.isArray(value)) holder[path.attribute] = value.map(strip);
  else if (isJsonObject(value)) holder[path.attribute] = strip(value);
}

function ensureObject(container: JsonObject, key: string): JsonObject {
  if (!isJsonObject(container[key])) container[key] = {};
  return container[key] as JsonObject;
}
