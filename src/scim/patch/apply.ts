/**
 * RFC 7644 §3.5.2 PATCH engine over a stored document, with the semantics Entra relies on
 * (../shared/docs/entra-scim-wire.md, "More behaviours seen in the field"):
 *  - replace on a value path that matches nothing adds the element (RFC would say noTarget);
 *  - remove of an absent attribute succeeds;
 *  - operations on unknown attributes are ignored, on readOnly ones (id, meta) too (RFC 7643 §7);
 *  - Group `members` become store MemberOperations (members.ts), never document edits.
 * Input operations are RFC-shaped (entra-dialect.ts ran first). Pure: returns a new document.
 *
 * Why not npm `scim-patch` (0.8.3, probed 2026-11-27): it knows no schema, so `NAME.givenName` creates a
 * new `NAME` key instead of changing `name`, `"False"` is stored as a string, and values are never
 * type-checked; members would be edited inside the document rather than as relational operations.
 */
import type { MemberOperation, ResourceDocument } from "../../store/contract";
import { ScimError } from "../errors";
import {
  coerceAttributeValue,
  coerceResourceAttributes,
  isJsonObject,
  type JsonObject,
} from "../resource/coerce";
import { cloneJson } from "../resource/json-clone";
import type { AttributeDefinition } from "../schemas/attribute";
import { findCoreAttribute, findExtension } from "../schemas/resolve";
import type { ResourceTypeDefinition } from "../schemas/resource-types";
import type { Element } from "./element-filter";
import { compactMemberOperations, memberOperations } from "./members";
import { applyToSelectedElements, keepOnePrimary, setOnElements } from "./multi-valued";
import type { PatchOperation } from "./operation";
import { type PatchTarget, parsePatchPath } from "./path";

export interface PatchResult {
  readonly document: ResourceDocument;
  readonly memberOps: readonly MemberOperation[];
}

export function applyPatch(
  document: ResourceDocument,
  operations: readonly PatchOperation[],
  resourceType: ResourceTypeDefinition,
): PatchResult {
  const working = cloneJson(document) as JsonObject;
  const memberOps: MemberOperation[] = [];
  for (const operation of operations) {
    if (operation.path === undefined) {
      memberOps.push(...applyPathLess(working, operation, resourceType));
      continue;
    }
    const target = parsePatchPath(operation.path, resourceType);
    if (target.kind === "unknown") continue;
    if (target.kind === "extension") {
      applyToExtension(working, target.schema, operation, resourceType);
      continue;
    }
    if (target.definition.mutability === "readOnly" || target.subAttribute?.mutability === "readOnly")
      continue;
    if (resourceType.name === "Group" && !target.schema && target.definition.name === "members") {
      memberOps.push(...memberOperations(operation, target));
      continue;
    }
    applyToAttribute(containerOf(working, target.schema), operation, target);
    dropEmptyExtension(working, target.schema);
  }
  return { document: working, memberOps: compactMemberOperations(memberOps) };
}

/**
 * RFC 7644 §3.5.2.1/§3.5.2.3 without a path: the value is a set of attributes to add or replace.
 * Complex attributes merge sub-attributes in both cases; multi-valued ones are appended (add) or
 * replaced (replace).
 */
function applyPathLess(
  working: JsonObject,
  operation: PatchOperation,
  resourceType: ResourceTypeDefinition,
): MemberOperation[] {
  if (operation.op === "remove") {
    throw new ScimError(400, "noTarget", `remove needs a "path" naming what to remove (RFC 7644 §3.5.2.2)`);
  }
  const attributes = coerceResourceAttributes(resourceType, operation.value as JsonObject);
  const memberOps: MemberOperation[] = [];
  for (const [key, value] of Object.entries(attributes)) {
    const extension = findExtension(resourceType, key);
    if (extension) {
      mergeObject(working, extension.id, value as JsonObject);
      continue;
    }
    const definition = findCoreAttribute(resourceType, key)!;
    if (resourceType.name === "Group" && definition.name === "members") {
      const target = { kind: "attribute", definition } as const;
      memberOps.push(...memberOperations({ op: operation.op, path: "members", value }, target));
      continue;
    }
    setWhole(working, definition, operation.op, value);
  }
  return memberOps;
}

function applyToExtension(
  working: JsonObject,
  schema: string,
  operation: PatchOperation,
  resourceType: ResourceTypeDefinition,
): void {
  if (operation.op === "remove") {
    delete working[schema];
    return;
  }
  if (!isJsonObject(operation.value)) {
    throw new ScimError(400, "invalidValue", `the value for "${schema}" must be an object of its attributes`);
  }
  const attributes = coerceResourceAttributes(resourceType, { [schema]: operation.value })[schema];
  if (attributes) mergeObject(working, schema, attributes as JsonObject);
}

function applyToAttribute(
  container: JsonObject,
  operation: PatchOperation,
  target: Extract<PatchTarget, { kind: "attribute" }>,
): void {
  const { definition, filter, subAttribute } = target;
  if (filter) {
    applyToSelectedElements(container, operation, definition, filter, subAttribute);
    return;
  }
  if (subAttribute) {
    applyToSubAttribute(container, operation, definition, subAttribute);
    return;
  }
  if (operation.op === "remove") {
    delete container[definition.name];
    return;
  }
  setWhole(
    container,
    definition,
    operation.op,
    coerceAttributeValue(definition, operation.value, definition.name),
  );
}

/** add/replace of a whole attribute with an already-coerced value; undefined (unassigned) removes it. */
function setWhole(
  container: JsonObject,
  definition: AttributeDefinition,
  op: "add" | "replace",
  value: unknown,
): void {
  if (value === undefined) {
    delete container[definition.name];
  } else if (definition.multiValued) {
    // RFC 7644 §3.5.2.1: add appends to a multi-valued attribute; §3.5.2.3: replace replaces all values.
    const added = value as unknown[];
    const existing =
      op === "add" && Array.isArray(container[definition.name])
        ? (container[definition.name] as unknown[])
        : [];
    const kept = existing.filter((element) => !added.some((candidate) => deepEqual(candidate, element)));
    container[definition.name] = keepOnePrimary([...kept, ...added], added);
  } else if (definition.type === "complex") {
    // RFC 7644 §3.5.2.1 and §3.5.2.3: sub-attributes not given are left unchanged.
    mergeObject(container, definition.name, value as JsonObject);
  } else {
    container[definition.name] = value;
  }
}

/** `name.givenName` (singular parent) or `emails.value` (every element of a multi-valued parent). */
function applyToSubAttribute(
  container: JsonObject,
  operation: PatchOperation,
  definition: AttributeDefinition,
  subAttribute: AttributeDefinition,
): void {
  const where = `${definition.name}.${subAttribute.name}`;
  const value =
    operation.op === "remove" ? undefined : coerceAttributeValue(subAttribute, operation.value, where);
  if (definition.multiValued) {
    const elements = Array.isArray(container[definition.name])
      ? (container[definition.name] as Element[])
      : [];
    if (elements.length === 0 && value !== undefined)
      container[definition.name] = [{ [subAttribute.name]: value }];
    else setOnElements(container, definition, elements, subAttribute, value);
    return;
  }
  const parent = isJsonObject(container[definition.name])
    ? { ...(container[definition.name] as JsonObject) }
    : {};
  if (value === undefined) delete parent[subAttribute.name];
  else parent[subAttribute.name] = value;
  if (Object.keys(parent).length > 0) container[definition.name] = parent;
  else delete container[definition.name];
}

function containerOf(working: JsonObject, schema: string | undefined): JsonObject {
  if (!schema) return working;
  if (!isJsonObject(working[schema])) working[schema] = {};
  return working[schema] as JsonObject;
}

function dropEmptyExtension(working: JsonObject, schema: string | undefined): void {
  if (schema && isJsonObject(working[schema]) && Object.keys(working[schema] as JsonObject).length === 0)
    delete working[schema];
}

function mergeObject(container: JsonObject, key: string, value: JsonObject): void {
  const existing = isJsonObject(container[key]) ? (container[key] as JsonObject) : {};
  container[key] = { ...existing, ...value };
}

function deepEqual(left: unknown, right: unknown): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}
