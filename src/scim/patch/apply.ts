/**
 * RFC 7644 §3.5.2 PATCH engine over a stored document, with the semantics Entra relies on
 * (../shared/docs/entra-scim-wire.md, "More behaviours seen in the field"):
 *  - replace on a value path that matches nothing adds the element (RFC would say noTarget);
 *  - remove of an absent attribute succeeds;
 *  - operations on unknown attributes are ignored, on readOnly ones (id, meta) too (RFC 7643 §7);
 *  - Group `members` become store MemberOperations (members.ts), never document edits.
 * Input operations are RFC-shaped (entra-dialect.ts ran first). Pure: returns a new document.
 */
import type { MemberOperation, ResourceDocument } from "../../store/contract";
import { ScimError } from "../errors";
import type { FilterNode } from "../filter/ast";
import {
  coerceAttributeValue,
  coerceResourceAttributes,
  coerceSingleValue,
  isJsonObject,
  type JsonObject,
} from "../resource/coerce";
import type { AttributeDefinition } from "../schemas/attribute";
import { findCoreAttribute, findExtension } from "../schemas/resolve";
import type { ResourceTypeDefinition } from "../schemas/resource-types";
import { type Element, elementMatches } from "./element-filter";
import { compactMemberOperations, memberOperations } from "./members";
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
  const working = structuredClone(document) as JsonObject;
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

/**
 * `emails[type eq "work"]` and `emails[type eq "work"].value`. RFC 7644 §3.5.2.3: replace replaces the
 * matching values. Entra: when nothing matches, add/replace create the element from the filter's
 * `eq` comparisons plus the value (`{type:"work", value}`).
 */
function applyToSelectedElements(
  container: JsonObject,
  operation: PatchOperation,
  definition: AttributeDefinition,
  filter: FilterNode,
  subAttribute: AttributeDefinition | undefined,
): void {
  const elements = Array.isArray(container[definition.name]) ? (container[definition.name] as Element[]) : [];
  const selected = elements.filter((element) => elementMatches(element, filter));
  if (operation.op === "remove") {
    if (subAttribute) setOnElements(container, definition, elements, subAttribute, undefined, selected);
    else
      storeElements(
        container,
        definition,
        elements.filter((element) => !selected.includes(element)),
      );
    return;
  }
  const elementDefinition = { ...definition, multiValued: false };
  const where = `${operation.path}`;
  const value = subAttribute
    ? coerceAttributeValue(subAttribute, operation.value, where)
    : coerceSingleValue(elementDefinition, operation.value, where);
  if (value === undefined) {
    // Assigning "nothing" to the selection clears it.
    applyToSelectedElements(
      container,
      { op: "remove", path: operation.path },
      definition,
      filter,
      subAttribute,
    );
    return;
  }
  if (selected.length === 0) {
    const created = {
      ...elementFromFilter(filter, operation.path!),
      ...(subAttribute ? { [subAttribute.name]: value } : (value as JsonObject)),
    };
    storeElements(container, definition, keepOnePrimary([...elements, created], [created]));
    return;
  }
  if (subAttribute) {
    setOnElements(container, definition, elements, subAttribute, value, selected);
    return;
  }
  const updated = elements.map((element) =>
    selected.includes(element)
      ? operation.op === "add"
        ? { ...element, ...(value as JsonObject) }
        : (value as Element)
      : element,
  );
  const touched = updated.filter((_, index) => selected.includes(elements[index]!));
  storeElements(container, definition, keepOnePrimary(updated, touched));
}

/** Sets (or, with undefined, deletes) one sub-attribute on the `only` elements (default: all). */
function setOnElements(
  container: JsonObject,
  definition: AttributeDefinition,
  elements: readonly Element[],
  subAttribute: AttributeDefinition,
  value: unknown,
  only: readonly Element[] = elements,
): void {
  const touched: Element[] = [];
  const updated = elements.map((element) => {
    if (!only.includes(element)) return element;
    const copy = { ...element };
    if (value === undefined) delete copy[subAttribute.name];
    else copy[subAttribute.name] = value;
    touched.push(copy);
    return copy;
  });
  storeElements(
    container,
    definition,
    keepOnePrimary(
      updated.filter((element) => Object.keys(element).length > 0),
      touched,
    ),
  );
}

/** The element a value path names, from its `eq` comparisons: `type eq "work"` → `{type:"work"}`. */
function elementFromFilter(filter: FilterNode, path: string): Element {
  if (filter.kind === "and")
    return { ...elementFromFilter(filter.left, path), ...elementFromFilter(filter.right, path) };
  if (filter.kind === "compare" && filter.op === "eq") return { [filter.path.attribute]: filter.value };
  throw new ScimError(
    400,
    "noTarget",
    `"${path}" matches no value, and only "eq" comparisons joined by "and" say what value to add`,
  );
}

/** RFC 7643 §2.4: at most one element is primary; the ones just written win. */
function keepOnePrimary(elements: readonly unknown[], written: readonly unknown[]): unknown[] {
  const writtenPrimary = written.some((element) => isJsonObject(element) && element.primary === true);
  if (!writtenPrimary) return [...elements];
  return elements.map((element) =>
    isJsonObject(element) && element.primary === true && !written.includes(element)
      ? { ...element, primary: false }
      : element,
  );
}

function storeElements(
  container: JsonObject,
  definition: AttributeDefinition,
  elements: readonly unknown[],
): void {
  if (elements.length > 0) container[definition.name] = [...elements];
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
