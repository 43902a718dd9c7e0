/** Builders for filter ASTs in store tests, shaped like the protocol's parser output (ast.ts). */
import type {
  AttributePath,
  AttributeTraits,
  CompareOperator,
  FilterNode,
  FilterValue,
} from "../../src/scim/filter/ast";

export const traits = {
  text: { type: "string", caseExact: false, multiValued: false },
  exactText: { type: "string", caseExact: true, multiValued: false },
  multiText: { type: "string", caseExact: false, multiValued: true },
  boolean: { type: "boolean", caseExact: false, multiValued: false },
  multiBoolean: { type: "boolean", caseExact: false, multiValued: true },
  integer: { type: "integer", caseExact: false, multiValued: false },
  dateTime: { type: "dateTime", caseExact: false, multiValued: false },
  reference: { type: "reference", caseExact: true, multiValued: true },
} as const satisfies Record<string, AttributeTraits>;

/** "name.givenName" or "urn:…:User:employeeNumber" → AttributePath. */
export function pathOf(text: string): AttributePath {
  const urn = /^(urn:.*):([^:]+)$/.exec(text);
  const [schema, rest] = urn ? [urn[1], urn[2]!] : [undefined, text];
  const [attribute, subAttribute] = rest.split(".") as [string, string | undefined];
  return { ...(schema ? { schema } : {}), attribute, ...(subAttribute ? { subAttribute } : {}) };
}

export function compare(
  path: string,
  op: CompareOperator,
  value: FilterValue,
  attributeTraits: AttributeTraits = traits.text,
): FilterNode {
  return { kind: "compare", path: pathOf(path), op, value, traits: attributeTraits };
}

export function present(path: string, attributeTraits: AttributeTraits = traits.text): FilterNode {
  return { kind: "present", path: pathOf(path), traits: attributeTraits };
}

export const and = (left: FilterNode, right: FilterNode): FilterNode => ({ kind: "and", left, right });
export const or = (left: FilterNode, right: FilterNode): FilterNode => ({ kind: "or", left, right });
export const not = (filter: FilterNode): FilterNode => ({ kind: "not", filter });
export const valuePath = (path: string, filter: FilterNode): FilterNode => ({
  kind: "valuePath",
  path: pathOf(path),
  filter,
});
