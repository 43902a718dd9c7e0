/**
 * Turns client JSON (already normalised by entra-dialect.ts) into the stored document shape: attribute
 * names in canonical spelling (RFC 7643 §2.1, case-insensitive), extension attributes under their URN
 * key, values checked against the schema type. Unknown attributes and readOnly attributes (id, meta,
 * manager.displayName…) are dropped silently: the wire doc requires unknown attributes never to cause a
 * 400, and RFC 7643 §7 says readOnly values sent by clients SHALL be ignored. null and empty values mean
 * "unassigned" (RFC 7643 §2.5) and are dropped.
 */
import { ScimError } from "../errors";
import type { AttributeDefinition } from "../schemas/attribute";
import { findAttribute } from "../schemas/attribute";
import { findCoreAttribute, findExtension } from "../schemas/resolve";
import type { ResourceTypeDefinition } from "../schemas/resource-types";

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Coerces a resource body (POST/PUT) or a path-less PATCH value into document shape. Keys that name an
 * extension URN hold that extension's attributes. Group `members` is kept (callers move it to the store's
 * relation); `schemas` and unknown keys are dropped.
 */
export function coerceResourceAttributes(resourceType: ResourceTypeDefinition, body: JsonObject): JsonObject {
  const document: JsonObject = {};
  for (const [key, value] of Object.entries(body)) {
    const extension = findExtension(resourceType, key);
    if (extension) {
      if (!isJsonObject(value)) {
        if (value === null || value === undefined) continue;
        throw new ScimError(
          400,
          "invalidValue",
          `"${key}" must be an object of ${extension.name} attributes`,
        );
      }
      const attributes = coerceSubAttributes(extension.attributes, value, extension.id);
      if (Object.keys(attributes).length > 0) document[extension.id] = attributes;
      continue;
    }
    const definition = findCoreAttribute(resourceType, key);
    if (!definition || definition.mutability === "readOnly") continue;
    const coerced = coerceAttributeValue(definition, value, definition.name);
    if (coerced !== undefined) document[definition.name] = coerced;
  }
  return document;
}

/**
 * Coerces one attribute's value; undefined when the value is unassigned (null, "", [], {}) so the
 * caller removes the attribute. `where` names the attribute in error messages.
 */
export function coerceAttributeValue(
  definition: AttributeDefinition,
  value: unknown,
  where: string,
): unknown {
  if (value === null || value === undefined) return undefined;
  if (definition.multiValued) {
    const elements = Array.isArray(value) ? value : [value];
    const coerced = elements
      .map((element, index) => coerceSingleValue(definition, element, `${where}[${index}]`))
      .filter((element) => element !== undefined);
    return coerced.length > 0 ? coerced : undefined;
  }
  if (Array.isArray(value)) {
    throw new ScimError(400, "invalidValue", `"${where}" is single-valued; send one value, not an array`);
  }
  return coerceSingleValue(definition, value, where);
}

/** Coerces one value (or one element of a multi-valued attribute). */
export function coerceSingleValue(definition: AttributeDefinition, value: unknown, where: string): unknown {
  if (value === null || value === undefined) return undefined;
  switch (definition.type) {
    case "complex": {
      if (!isJsonObject(value)) {
        throw new ScimError(
          400,
          "invalidValue",
          `"${where}" must be an object with sub-attributes, got ${describe(value)}`,
        );
      }
      const attributes = coerceSubAttributes(definition.subAttributes ?? [], value, where);
      return Object.keys(attributes).length > 0 ? attributes : undefined;
    }
    case "boolean":
      if (typeof value === "boolean") return value;
      throw new ScimError(400, "invalidValue", `"${where}" must be true or false, got ${describe(value)}`);
    case "integer":
      if (typeof value === "number" && Number.isInteger(value)) return value;
      throw new ScimError(400, "invalidValue", `"${where}" must be an integer, got ${describe(value)}`);
    case "decimal":
      if (typeof value === "number") return value;
      throw new ScimError(400, "invalidValue", `"${where}" must be a number, got ${describe(value)}`);
    case "dateTime":
      if (typeof value === "string" && !Number.isNaN(Date.parse(value))) return value;
      throw new ScimError(
        400,
        "invalidValue",
        `"${where}" must be an xsd:dateTime string, got ${describe(value)}`,
      );
    default:
      if (typeof value === "string") return value === "" ? undefined : value;
      // Lenient: a number or boolean sent for a string attribute keeps its text (employeeNumber: 42).
      if (typeof value === "number" || typeof value === "boolean") return String(value);
      throw new ScimError(400, "invalidValue", `"${where}" must be a string, got ${describe(value)}`);
  }
}

function coerceSubAttributes(
  definitions: readonly AttributeDefinition[],
  value: JsonObject,
  where: string,
): JsonObject {
  const result: JsonObject = {};
  for (const [key, subValue] of Object.entries(value)) {
    const definition = findAttribute(definitions, key);
    if (!definition || definition.mutability === "readOnly") continue;
    const coerced = coerceAttributeValue(definition, subValue, `${where}.${definition.name}`);
    if (coerced !== undefined) result[definition.name] = coerced;
  }
  return result;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  if (isJsonObject(value)) return "an object";
  return JSON.stringify(value);
}
