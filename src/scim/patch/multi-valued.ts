/**
 * PATCH on the elements of a multi-valued attribute (emails, phoneNumbers, addresses…): value-path
 * selections (`emails[type eq "work"].value`, RFC 7644 §3.5.2), sub-attributes of every element, and the
 * RFC 7643 §2.4 rule that at most one element is primary.
 */
import { ScimError } from "../errors";
import type { FilterNode } from "../filter/ast";
import { coerceAttributeValue, coerceSingleValue, isJsonObject, type JsonObject } from "../resource/coerce";
import type { AttributeDefinition } from "../schemas/attribute";
import { type Element, elementMatches } from "./element-filter";
import type { PatchOperation } from "./operation";

/**
 * `emails[type eq "work"]` and `emails[type eq "work"].value`. RFC 7644 §3.5.2.3: replace replaces the
 * matching values. Entra: when nothing matches, add/replace create the element from the filter's
 * `eq` comparisons plus the value (`{type:"work", value}`).
 */
export function applyToSelectedElements(
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
export function setOnElements(
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
export function keepOnePrimary(elements: readonly unknown[], written: readonly unknown[]): unknown[] {
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
