/**
 * Evaluates a value-path filter (`type eq "work" and primary eq true`) against one element of a
 * multi-valued attribute, in memory: PATCH needs it to pick the elements an operation targets
 * (RFC 7644 §3.5.2). List filters are executed by the store, never here.
 */
import type { CompareOperator, FilterNode, FilterValue } from "../filter/ast";

export type Element = Record<string, unknown>;

export function elementMatches(element: Element, filter: FilterNode): boolean {
  switch (filter.kind) {
    case "and":
      return elementMatches(element, filter.left) && elementMatches(element, filter.right);
    case "or":
      return elementMatches(element, filter.left) || elementMatches(element, filter.right);
    case "not":
      return !elementMatches(element, filter.filter);
    case "present":
      return isPresent(element[filter.path.attribute]);
    case "compare":
      return compare(element[filter.path.attribute], filter.op, filter.value, filter.traits.caseExact);
    case "valuePath":
      // The parser never nests value paths inside an element filter.
      return false;
  }
}

/** RFC 7644 §3.4.2.2 `pr`: has a non-empty value. */
function isPresent(value: unknown): boolean {
  if (value === undefined || value === null || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

function compare(
  actual: unknown,
  operator: CompareOperator,
  expected: FilterValue,
  caseExact: boolean,
): boolean {
  if (actual === undefined || actual === null) return operator === "ne";
  if (typeof actual === "string" && typeof expected === "string") {
    const left = caseExact ? actual : actual.toLowerCase();
    const right = caseExact ? expected : expected.toLowerCase();
    return compareOrdered(left, operator, right);
  }
  if (typeof actual === typeof expected)
    return compareOrdered(actual as number | boolean, operator, expected as number | boolean);
  return operator === "ne";
}

function compareOrdered<T extends string | number | boolean>(
  left: T,
  operator: CompareOperator,
  right: T,
): boolean {
  switch (operator) {
    case "eq":
      return left === right;
    case "ne":
      return left !== right;
    case "co":
      return String(left).includes(String(right));
    case "sw":
      return String(left).startsWith(String(right));
    case "ew":
      return String(left).endsWith(String(right));
    case "gt":
      return left > right;
    case "ge":
      return left >= right;
    case "lt":
      return left < right;
    case "le":
      return left <= right;
  }
}
