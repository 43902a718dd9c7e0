/**
 * Attribute-path resolution against a resource type: `userName`, `NAME.givenname`,
 * `urn:ietf:params:scim:schemas:core:2.0:User:emails.value`,
 * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value`. Names and URNs are
 * case-insensitive (RFC 7643 §2.1); the result carries canonical spellings. RFC 7644 §3.10 attribute
 * notation: `[URN ":"] attribute ["." subAttribute]`.
 */
import type { AttributeDefinition, SchemaDefinition } from "./attribute";
import { findAttribute } from "./attribute";
import { commonAttributes } from "./common-attributes";
import type { ResourceTypeDefinition } from "./resource-types";

export interface ResolvedAttribute {
  /** Extension URN when the attribute belongs to an extension (stored under that key). */
  readonly schema?: string;
  readonly definition: AttributeDefinition;
  readonly subAttribute?: AttributeDefinition;
}

/** The extension schema whose URN equals `text` (case-insensitively), e.g. a PATCH path naming a whole extension. */
export function findExtension(
  resourceType: ResourceTypeDefinition,
  text: string,
): SchemaDefinition | undefined {
  // Every extension id is a URN: a name without ":" (every core attribute) is answered without a search.
  if (!text.includes(":")) return undefined;
  const wanted = text.toLowerCase();
  return resourceType.extensions.find((extension) => extension.schema.id.toLowerCase() === wanted)?.schema;
}

/** Top-level attribute of the core schema or a common attribute (id, externalId, meta). */
export function findCoreAttribute(
  resourceType: ResourceTypeDefinition,
  name: string,
): AttributeDefinition | undefined {
  return findAttribute(resourceType.schema.attributes, name) ?? findAttribute(commonAttributes, name);
}

export function resolveAttributePath(
  resourceType: ResourceTypeDefinition,
  text: string,
): ResolvedAttribute | undefined {
  const { extension, rest } = splitSchemaPrefix(resourceType, text);
  const dot = rest.indexOf(".");
  const name = dot === -1 ? rest : rest.slice(0, dot);
  const subName = dot === -1 ? undefined : rest.slice(dot + 1);
  const definition = extension
    ? findAttribute(extension.attributes, name)
    : findCoreAttribute(resourceType, name);
  if (!definition) return undefined;
  const schema = extension?.id;
  if (subName === undefined) return { ...(schema ? { schema } : {}), definition };
  const subAttribute = findAttribute(definition.subAttributes, subName);
  if (!subAttribute) return undefined;
  return { ...(schema ? { schema } : {}), definition, subAttribute };
}

/**
 * Strips a leading schema URN followed by ":". The core schema's URN is dropped (core attributes live at
 * the top level); an extension's URN selects that extension. URNs contain dots ("2.0"), so the prefix is
 * matched against the known URNs rather than split on ".".
 */
function splitSchemaPrefix(
  resourceType: ResourceTypeDefinition,
  text: string,
): { extension?: SchemaDefinition; rest: string } {
  const lower = text.toLowerCase();
  for (const { schema } of resourceType.extensions) {
    const prefix = `${schema.id.toLowerCase()}:`;
    if (lower.startsWith(prefix)) return { extension: schema, rest: text.slice(prefix.length) };
  }
  const corePrefix = `${resourceType.schema.id.toLowerCase()}:`;
  if (lower.startsWith(corePrefix)) return { rest: text.slice(corePrefix.length) };
  return { rest: text };
}
