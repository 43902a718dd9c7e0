/**
 * Entra ID's request dialects, normalised to RFC 7643/7644 shapes in one place. Every quirk is one small
 * function with the reason it exists; the rest of src/scim sees RFC-shaped requests only.
 * Source for every quirk: ../shared/docs/entra-scim-wire.md (sections "Create-user body as Entra sends
 * it", "The two PATCH dialects", "More behaviours seen in the field"), which summarises Microsoft's
 * "Known issues and resolutions with SCIM 2.0 protocol compliance" and "Develop and plan provisioning
 * for a SCIM endpoint". The `aadOptscim062020` flag changes what Entra sends, never what we accept: both
 * dialects are handled on every request, since provision-on-demand ignores the flag.
 */
import { ScimError } from "./errors";
import type { PatchOperation } from "./patch/operation";
import { parsePatchPath } from "./patch/path";
import { isJsonObject, type JsonObject } from "./resource/coerce";
import type { AttributeDefinition } from "./schemas/attribute";
import { findAttribute } from "./schemas/attribute";
import { ENTERPRISE_USER_SCHEMA } from "./schemas/enterprise-user";
import { findCoreAttribute, findExtension, resolveAttributePath } from "./schemas/resolve";
import type { ResourceTypeDefinition } from "./schemas/resource-types";

/** A POST/PUT body, or a path-less PATCH value, in RFC shape (names not yet canonical: coerce.ts does that). */
export function normaliseResourceBody(body: unknown, resourceType: ResourceTypeDefinition): JsonObject {
  if (!isJsonObject(body)) {
    throw new ScimError(
      400,
      "invalidSyntax",
      `the body must be a JSON object holding a ${resourceType.name} resource`,
    );
  }
  const withoutClientFields = ignoreUnknownSchemaUris(ignoreClientMeta(body));
  const expanded = expandPathKeys(repairEnterpriseUrnKeys(withoutClientFields), resourceType);
  return applyValueQuirksToResource(dropExplicitNulls(expanded), resourceType);
}

/** A PATCH body → RFC 7644 §3.5.2 operations. */
export function normalisePatchRequest(body: unknown, resourceType: ResourceTypeDefinition): PatchOperation[] {
  if (!isJsonObject(body)) {
    throw new ScimError(
      400,
      "invalidSyntax",
      "the PATCH body must be a JSON object with an Operations array (RFC 7644 §3.5.2)",
    );
  }
  const operations = body.Operations ?? valueOfKeyIgnoringCase(body, "operations");
  if (!Array.isArray(operations)) {
    throw new ScimError(400, "invalidSyntax", "the PATCH body needs an Operations array (RFC 7644 §3.5.2)");
  }
  return operations.flatMap((operation, index) => normaliseOperation(operation, index, resourceType));
}

function normaliseOperation(
  raw: unknown,
  index: number,
  resourceType: ResourceTypeDefinition,
): PatchOperation[] {
  if (!isJsonObject(raw)) throw new ScimError(400, "invalidSyntax", `Operations[${index}] must be an object`);
  const op = lowercaseOpName(raw.op ?? valueOfKeyIgnoringCase(raw, "op"), index);
  const rawPath = raw.path ?? valueOfKeyIgnoringCase(raw, "path");
  if (rawPath !== undefined && rawPath !== null && typeof rawPath !== "string") {
    throw new ScimError(400, "invalidPath", `Operations[${index}].path must be a string`);
  }
  const path =
    typeof rawPath === "string" && rawPath.trim() !== "" ? repairEnterpriseUrn(rawPath.trim()) : undefined;
  const value = "value" in raw ? raw.value : valueOfKeyIgnoringCase(raw, "value");
  if (op !== "remove" && value === undefined) {
    // RFC 7644 §3.5.2.1/§3.5.2.3: add and replace carry a value (an explicit null is handled below).
    throw new ScimError(400, "invalidValue", `Operations[${index}] (${op}) has no "value"`);
  }

  if (path === undefined) {
    if (op === "remove") return [{ op }];
    if (!isJsonObject(value)) {
      throw new ScimError(
        400,
        "invalidValue",
        `Operations[${index}] has no path, so its value must be an object of attributes`,
      );
    }
    const { attributes, valuePathOperations } = splitValuePathKeys(op, value);
    return [
      ...pathLessNullsMeanRemove(
        op,
        normaliseResourceBody(attributes, resourceType),
        attributes,
        resourceType,
      ),
      ...valuePathOperations.flatMap((operation) => normaliseOperation(operation, index, resourceType)),
    ];
  }
  if (op !== "remove" && value === null) return [nullMeansRemove(path)];
  const target = parsePatchPath(path, resourceType);
  if (target.kind === "unknown") return [{ op, path, value }];
  if (target.kind === "extension") {
    if (op === "remove") return [{ op, path }];
    return [
      {
        op,
        path,
        value: isJsonObject(value)
          ? applyValueQuirksToResource({ [path]: value }, resourceType)[path]
          : value,
      },
    ];
  }
  if (op === "remove") {
    const removals = legacyValueRemoval(path, target.definition, target.filter, target.subAttribute, value);
    return removals ?? [{ op, path }];
  }
  const definition =
    target.subAttribute ?? (target.filter ? { ...target.definition, multiValued: false } : target.definition);
  return [{ op, path, value: applyValueQuirks(value, definition) }];
}

/** Default dialect: `"op":"Replace"`, `"Add"`, `"Remove"`. RFC 7644 §3.5.2 defines lower-case names. */
export function lowercaseOpName(op: unknown, index: number): PatchOperation["op"] {
  const lower = typeof op === "string" ? op.toLowerCase() : undefined;
  if (lower === "add" || lower === "replace" || lower === "remove") return lower;
  throw new ScimError(
    400,
    "invalidSyntax",
    `Operations[${index}].op is ${JSON.stringify(op)}; use add, replace or remove`,
  );
}

/**
 * Default dialect booleans: `{"path":"active","value":"False"}` (from the mapping expression
 * `Switch([IsSoftDeleted], , "False", "True", "True", "False")`), and `"primary":"True"` on any boolean.
 */
export function booleanFromString(value: unknown): unknown {
  if (typeof value === "string" && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
  return value;
}

/**
 * Manager sent as a plain id (`"value":"<id>"`) instead of `{"value":"<id>"}`; generalised to any
 * singular complex attribute with a `value` sub-attribute. An empty id means "no manager".
 */
export function scalarAsValueObject(value: unknown, definition: AttributeDefinition): unknown {
  if (typeof value !== "string" && typeof value !== "number") return value;
  if (!findAttribute(definition.subAttributes, "value")) return value;
  return value === "" ? null : { value: String(value) };
}

/**
 * aadOptscim062020 path-less replace: `{"name.givenName":"…","urn:…:enterprise:2.0:User:employeeNumber":"…"}`.
 * Keys are attribute paths, not nested objects; nest them (RFC 7644 §3.5.2.3 path-less value shape).
 */
export function expandPathKeys(body: JsonObject, resourceType: ResourceTypeDefinition): JsonObject {
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(body)) {
    const isPath = (key.includes(".") || key.includes(":")) && !findExtension(resourceType, key);
    const resolved = isPath ? resolveAttributePath(resourceType, key) : undefined;
    if (!resolved) {
      mergeInto(result, key, value);
      continue;
    }
    const leaf = resolved.subAttribute ? { [resolved.subAttribute.name]: value } : value;
    const attribute = resolved.subAttribute
      ? { [resolved.definition.name]: leaf }
      : { [resolved.definition.name]: value };
    if (resolved.schema) mergeInto(result, resolved.schema, attribute);
    else mergeInto(result, resolved.definition.name, attribute[resolved.definition.name]);
  }
  return result;
}

/**
 * Default dialect member removal: `{"op":"Remove","path":"members","value":[{"value":"<id>"}]}` must remove
 * only the listed members (naive handlers wiped the group). RFC 7644 §3.5.2.2 spells this
 * `members[value eq "<id>"]`; emit one such remove per listed value. Applies to any multi-valued complex
 * attribute with a `value` sub-attribute (emails too). undefined when the operation is not of this shape.
 */
export function legacyValueRemoval(
  path: string,
  definition: AttributeDefinition,
  filter: unknown,
  subAttribute: AttributeDefinition | undefined,
  value: unknown,
): PatchOperation[] | undefined {
  if (value === undefined || value === null || filter || subAttribute || !definition.multiValued)
    return undefined;
  if (!findAttribute(definition.subAttributes, "value")) return undefined;
  const elements = Array.isArray(value) ? value : [value];
  return elements.map((element, index) => {
    const id = isJsonObject(element) ? (element.value ?? valueOfKeyIgnoringCase(element, "value")) : element;
    if (typeof id !== "string" && typeof id !== "number") {
      throw new ScimError(400, "invalidValue", `value[${index}] of the remove on "${path}" needs a "value"`);
    }
    return { op: "remove", path: `${path}[value eq ${JSON.stringify(String(id))}]` };
  });
}

/**
 * A path-less value may carry value-path keys (`{"emails[type eq \"work\"].value":"…"}`) next to dotted
 * keys, in the same aadOptscim062020 style; such a key cannot be nested, so it becomes its own operation
 * with that path.
 */
export function splitValuePathKeys(
  op: "add" | "replace",
  value: JsonObject,
): { attributes: JsonObject; valuePathOperations: JsonObject[] } {
  const attributes: JsonObject = {};
  const valuePathOperations: JsonObject[] = [];
  for (const [key, item] of Object.entries(value)) {
    if (key.includes("[")) valuePathOperations.push({ op, path: key, value: item });
    else attributes[key] = item;
  }
  return { attributes, valuePathOperations };
}

const MALFORMED_ENTERPRISE_URN = /^urn:ietf:params:scim:schemas:extension:enterprise:2\.0User(?=$|:)/i;

/** Older tenants send `urn:ietf:params:scim:schemas:extension:enterprise:2.0User` (colon missing). */
export function repairEnterpriseUrn(text: string): string {
  return text.replace(MALFORMED_ENTERPRISE_URN, ENTERPRISE_USER_SCHEMA);
}

const URN_PREFIX = /^urn:/i;

function repairEnterpriseUrnKeys(body: JsonObject): JsonObject {
  const result: JsonObject = {};
  for (const key of Object.keys(body)) {
    mergeInto(result, URN_PREFIX.test(key) ? repairEnterpriseUrn(key) : key, body[key]);
  }
  return result;
}

/** Entra's create body carries `"meta":{"resourceType":"User"}`; meta is server-owned (RFC 7643 §3.1). */
export function ignoreClientMeta(body: JsonObject): JsonObject {
  return withoutKeys(body, (key) => key.toLowerCase() === "meta");
}

/**
 * `schemas` may list URIs we do not know (`http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group`,
 * the malformed enterprise URN). The response's `schemas` is derived from the stored attributes, so the
 * client's list is dropped rather than validated.
 */
export function ignoreUnknownSchemaUris(body: JsonObject): JsonObject {
  return withoutKeys(body, (key) => key.toLowerCase() === "schemas");
}

/** Older tenants send `"title":null,"manager":null`: null means unassigned (RFC 7643 §2.5). */
export function dropExplicitNulls(body: JsonObject): JsonObject {
  return withoutKeys(body, (_key, value) => value === null);
}

/** `{"op":"replace","path":"title","value":null}`: clearing a value is a remove (RFC 7643 §2.5). */
export function nullMeansRemove(path: string): PatchOperation {
  return { op: "remove", path };
}

/** Path-less add/replace whose value has null keys: those keys are removed, the rest applied. */
function pathLessNullsMeanRemove(
  op: "add" | "replace",
  normalised: JsonObject,
  original: JsonObject,
  resourceType: ResourceTypeDefinition,
): PatchOperation[] {
  const removals = Object.entries(original)
    .filter(
      ([key, value]) => value === null && isAttributeOrExtension(resourceType, repairEnterpriseUrn(key)),
    )
    .map(([key]) => nullMeansRemove(repairEnterpriseUrn(key)));
  return [...(Object.keys(normalised).length > 0 ? [{ op, value: normalised }] : []), ...removals];
}

function isAttributeOrExtension(resourceType: ResourceTypeDefinition, path: string): boolean {
  return (
    resolveAttributePath(resourceType, path) !== undefined || findExtension(resourceType, path) !== undefined
  );
}

/** Applies the per-value quirks (string booleans, scalar manager) across a resource-shaped object. */
function applyValueQuirksToResource(body: JsonObject, resourceType: ResourceTypeDefinition): JsonObject {
  const result: JsonObject = {};
  for (const key of Object.keys(body)) {
    const value = body[key];
    const extension = findExtension(resourceType, key);
    if (extension && isJsonObject(value)) {
      result[key] = applyValueQuirks(value, extensionAsAttribute(extension.attributes));
      continue;
    }
    const definition = findCoreAttribute(resourceType, key);
    result[key] = definition ? applyValueQuirks(value, definition) : value;
  }
  return result;
}

function applyValueQuirks(value: unknown, definition: AttributeDefinition): unknown {
  if (definition.multiValued && Array.isArray(value)) {
    const element = elementOf(definition);
    return value.map((item) => applyValueQuirks(item, element));
  }
  if (definition.type === "boolean") return booleanFromString(value);
  if (definition.type !== "complex") return value;
  const shaped = definition.multiValued ? value : scalarAsValueObject(value, definition);
  if (!isJsonObject(shaped)) return shaped;
  const result: JsonObject = {};
  for (const [key, subValue] of Object.entries(shaped)) {
    const sub = findAttribute(definition.subAttributes, key);
    result[key] = sub ? applyValueQuirks(subValue, sub) : subValue;
  }
  return result;
}

/**
 * Definitions derived from the (static) schemas, made once: these passes run on every create and PATCH,
 * and building them per value was half the cost of normalising a body.
 */
const elements = new WeakMap<AttributeDefinition, AttributeDefinition>();
const extensionAttributes = new WeakMap<readonly AttributeDefinition[], AttributeDefinition>();

/** The definition of one element of a multi-valued attribute. */
function elementOf(definition: AttributeDefinition): AttributeDefinition {
  let element = elements.get(definition);
  if (!element) {
    element = { ...definition, multiValued: false };
    elements.set(definition, element);
  }
  return element;
}

function extensionAsAttribute(attributes: readonly AttributeDefinition[]): AttributeDefinition {
  let definition = extensionAttributes.get(attributes);
  if (!definition) {
    definition = extensionAttributeOf(attributes);
    extensionAttributes.set(attributes, definition);
  }
  return definition;
}

function extensionAttributeOf(attributes: readonly AttributeDefinition[]): AttributeDefinition {
  return {
    name: "extension",
    type: "complex",
    multiValued: false,
    description: "",
    required: false,
    caseExact: false,
    mutability: "readWrite",
    returned: "default",
    uniqueness: "none",
    subAttributes: attributes,
  };
}

/**
 * A copy of `body` without the keys `dropped` picks. A plain loop: these passes run on every create and
 * PATCH, and Object.entries/filter/fromEntries allocated three arrays per pass.
 */
function withoutKeys(body: JsonObject, dropped: (key: string, value: unknown) => boolean): JsonObject {
  const result: JsonObject = {};
  for (const key of Object.keys(body)) {
    const value = body[key];
    if (dropped(key, value)) continue;
    // An own "__proto__" key (JSON.parse makes one) stays a plain property, as Object.fromEntries kept it;
    // assigning it would change the copy's prototype. (The HTTP layer refuses such bodies anyway.)
    if (key === "__proto__") {
      Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
    } else result[key] = value;
  }
  return result;
}

function mergeInto(target: JsonObject, key: string, value: unknown): void {
  const existing = target[key];
  target[key] = isJsonObject(existing) && isJsonObject(value) ? { ...existing, ...value } : value;
}

function valueOfKeyIgnoringCase(object: JsonObject, key: string): unknown {
  const found = Object.keys(object).find((candidate) => candidate.toLowerCase() === key);
  return found === undefined ? undefined : object[found];
}
