/**
 * RFC 7644 §3.4.2.2 filter parser: a recursive-descent parser producing the AST of ast.ts, with
 * attribute names canonicalised and traits taken from the schema.
 *
 * Why hand-written: the npm candidate `scim2-parse-filter` (0.2.10, probed 2026-11-27) knows no schema
 * (no canonical names, no traits), reports errors like `[(EOT)] is not json`, overflows the stack on deep
 * nesting (RangeError on 5,000 parentheses, a 500 instead of a 400), and rewrites
 * `emails[type eq "work"].value eq "x"` into an `and` of two independent conditions, which matches users
 * whose *different* emails satisfy each half.
 *
 * Grammar (precedence: not > and > or, left-associative; operators and keywords case-insensitive):
 *   filter    = or
 *   or        = and *("or" and)
 *   and       = unary *("and" unary)
 *   unary     = "not" "(" filter ")" / "(" filter ")" / attrExp
 *   attrExp   = attrPath "pr" / attrPath compareOp compValue / valuePath ["." subAttr ("pr" / compareOp compValue)]
 *   valuePath = attrPath "[" valFilter "]"     (valFilter: same grammar, paths relative to the element)
 * The `valuePath "." subAttr` form is an extension (common in clients; it is the PATCH path syntax): it
 * means "one element matches the bracket filter and the sub-attribute condition".
 */
import { ScimError, type ScimType } from "../errors";
import type { AttributeDefinition } from "../schemas/attribute";
import { findAttribute } from "../schemas/attribute";
import { type ResolvedAttribute, resolveAttributePath } from "../schemas/resolve";
import type { ResourceTypeDefinition } from "../schemas/resource-types";
import type { AttributePath, AttributeTraits, CompareOperator, FilterNode, FilterValue } from "./ast";
import { type Token, tokenize } from "./lexer";

export const FILTER_LIMITS = {
  /** Characters; Entra's filters are under 200. */
  maxLength: 4096,
  /** Nesting of parentheses, `not` and value paths. */
  maxDepth: 32,
  /** Comparisons in one filter, bounding the SQL a store generates. */
  maxComparisons: 200,
} as const;

const FILTERABLE_META = new Set(["created", "lastModified"]);
const COMPARE_OPERATORS = new Set<string>(["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"]);
const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/** Parses a `filter` query parameter for `resourceType`; throws ScimError(400, "invalidFilter"). */
export function parseFilter(text: string, resourceType: ResourceTypeDefinition): FilterNode {
  const parser = new FilterParser(text, resourceType, "invalidFilter");
  const node = parser.parseFilter({ kind: "resource" });
  parser.expectEnd();
  return node;
}

/** Where attribute paths are resolved: the resource, or the element of a multi-valued attribute inside `[…]`. */
export type Scope =
  | { readonly kind: "resource" }
  | { readonly kind: "element"; readonly parent: ResolvedAttribute };

export class FilterParser {
  private readonly tokens: Token[];
  private index = 0;
  private comparisons = 0;

  constructor(
    private readonly input: string,
    private readonly resourceType: ResourceTypeDefinition,
    private readonly scimType: ScimType,
  ) {
    if (input.length > FILTER_LIMITS.maxLength) {
      this.fail(`is ${input.length} characters long; the limit is ${FILTER_LIMITS.maxLength}`);
    }
    this.tokens = tokenize(input, scimType);
    if (this.tokens.length === 0) this.fail("is empty");
  }

  parseFilter(scope: Scope, depth = 0): FilterNode {
    let left = this.parseAnd(scope, depth);
    while (this.peekKeyword("or")) {
      this.index++;
      left = { kind: "or", left, right: this.parseAnd(scope, depth) };
    }
    return left;
  }

  expectEnd(): void {
    const token = this.tokens[this.index];
    if (token)
      this.failAt(token, `unexpected "${token.text}"; expected "and", "or" or the end of the filter`);
  }

  /** Current token, or undefined at the end. */
  peek(): Token | undefined {
    return this.tokens[this.index];
  }

  next(): Token | undefined {
    return this.tokens[this.index++];
  }

  expect(kind: Token["kind"], what: string): Token {
    const token = this.next();
    if (!token) this.fail(`ends early; expected ${what}`);
    if (token.kind !== kind) this.failAt(token, `expected ${what}, got "${token.text}"`);
    return token;
  }

  failAt(token: Token, message: string): never {
    throw new ScimError(
      400,
      this.scimType,
      `${this.describe()}: ${message} at position ${token.position + 1}`,
    );
  }

  fail(message: string): never {
    throw new ScimError(400, this.scimType, `${this.describe()} ${message}`);
  }

  /** Parses the condition of a sub-attribute relative to an element (`value eq "x"`, `primary pr`). */
  parseElementCondition(subAttribute: AttributeDefinition, pathToken: Token): FilterNode {
    return this.parseCondition({ attribute: subAttribute.name }, subAttribute, false, pathToken);
  }

  private describe(): string {
    const quoted = this.input.length > 200 ? `${this.input.slice(0, 200)}…` : this.input;
    return `${this.scimType === "invalidPath" ? "path" : "filter"} "${quoted}"`;
  }

  private parseAnd(scope: Scope, depth: number): FilterNode {
    let left = this.parseUnary(scope, depth);
    while (this.peekKeyword("and")) {
      this.index++;
      left = { kind: "and", left, right: this.parseUnary(scope, depth) };
    }
    return left;
  }

  private parseUnary(scope: Scope, depth: number): FilterNode {
    const token = this.peek();
    if (!token) this.fail('ends early; expected an attribute path, "not" or "("');
    if (depth >= FILTER_LIMITS.maxDepth)
      this.failAt(token, `nests deeper than ${FILTER_LIMITS.maxDepth} levels`);
    if (this.peekKeyword("not")) {
      this.index++;
      this.expect("(", '"(" after "not"');
      const filter = this.parseFilter(scope, depth + 1);
      this.expect(")", '")"');
      return { kind: "not", filter };
    }
    if (token.kind === "(") {
      this.index++;
      const inner = this.parseFilter(scope, depth + 1);
      this.expect(")", '")"');
      return inner;
    }
    if (token.kind !== "word" || this.isKeyword(token, "and") || this.isKeyword(token, "or")) {
      this.failAt(token, `expected an attribute path, "not" or "(", got "${token.text}"`);
    }
    this.index++;
    return this.parseAttributeExpression(token, scope, depth);
  }

  private parseAttributeExpression(pathToken: Token, scope: Scope, depth: number): FilterNode {
    if (scope.kind === "element") {
      const subAttribute = findAttribute(scope.parent.definition.subAttributes, pathToken.text);
      if (!subAttribute) {
        this.failAt(
          pathToken,
          `"${pathToken.text}" is not a sub-attribute of "${scope.parent.definition.name}"`,
        );
      }
      if (this.peek()?.kind === "[") this.failAt(this.peek()!, "value paths cannot be nested");
      return this.parseCondition({ attribute: subAttribute.name }, subAttribute, false, pathToken);
    }
    const resolved = this.resolve(pathToken);
    if (this.peek()?.kind === "[") return this.parseValuePath(resolved, pathToken, depth);
    const target = resolved.subAttribute ?? resolved.definition;
    const path: AttributePath = {
      ...(resolved.schema ? { schema: resolved.schema } : {}),
      attribute: resolved.definition.name,
      ...(resolved.subAttribute ? { subAttribute: resolved.subAttribute.name } : {}),
    };
    const multiValued = resolved.definition.multiValued || target.multiValued;
    return this.parseCondition(path, target, multiValued, pathToken);
  }

  /** `emails[type eq "work"]`, optionally followed by `.value eq "x"` (see the grammar note above). */
  private parseValuePath(resolved: ResolvedAttribute, pathToken: Token, depth: number): FilterNode {
    const open = this.next()!;
    if (resolved.subAttribute || resolved.definition.type !== "complex" || !resolved.definition.multiValued) {
      this.failAt(
        open,
        `"${pathToken.text}" is not a multi-valued complex attribute; "[…]" needs one, like emails`,
      );
    }
    const inner = this.parseFilter({ kind: "element", parent: resolved }, depth + 1);
    this.expect("]", '"]"');
    const path: AttributePath = {
      ...(resolved.schema ? { schema: resolved.schema } : {}),
      attribute: resolved.definition.name,
    };
    const following = this.peek();
    if (following?.kind === "word" && following.text.startsWith(".")) {
      this.index++;
      const subAttribute = findAttribute(resolved.definition.subAttributes, following.text.slice(1));
      if (!subAttribute) {
        this.failAt(
          following,
          `"${following.text.slice(1)}" is not a sub-attribute of "${resolved.definition.name}"`,
        );
      }
      const condition = this.parseElementCondition(subAttribute, following);
      return { kind: "valuePath", path, filter: { kind: "and", left: inner, right: condition } };
    }
    return { kind: "valuePath", path, filter: inner };
  }

  /** `pr` or `compareOp compValue` after an attribute path. */
  private parseCondition(
    path: AttributePath,
    definition: AttributeDefinition,
    multiValued: boolean,
    pathToken: Token,
  ): FilterNode {
    const operatorToken = this.next();
    if (!operatorToken)
      this.fail(
        `ends after "${pathToken.text}"; expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr)`,
      );
    const operator = operatorToken.kind === "word" ? operatorToken.text.toLowerCase() : "";
    if (operator !== "pr" && !COMPARE_OPERATORS.has(operator)) {
      this.failAt(
        operatorToken,
        `expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) after "${pathToken.text}", got "${operatorToken.text}"`,
      );
    }
    this.comparisons++;
    if (this.comparisons > FILTER_LIMITS.maxComparisons) {
      this.failAt(operatorToken, `has more than ${FILTER_LIMITS.maxComparisons} comparisons`);
    }
    if (definition.type === "complex")
      return this.complexCondition(path, definition, multiValued, operator, pathToken);
    const traits = traitsOf(definition, multiValued);
    if (operator === "pr") return { kind: "present", path, traits };
    const valueToken = this.next();
    if (!valueToken) this.fail(`ends after "${operatorToken.text}"; expected a value`);
    const value = this.coerceValue(this.literal(valueToken), traits, operator as CompareOperator, valueToken);
    if (value === null) {
      // RFC 7643 §2.5: null means unassigned; `x eq null` is "x is not present".
      const present: FilterNode = { kind: "present", path, traits };
      return operator === "eq" ? { kind: "not", filter: present } : present;
    }
    return { kind: "compare", path, op: operator as CompareOperator, value, traits };
  }

  /**
   * A complex attribute without a sub-attribute: comparisons apply to its `value` sub-attribute
   * (`emails eq "a@b"` ≡ `emails.value eq "a@b"`); `pr` means "some sub-attribute is present".
   */
  private complexCondition(
    path: AttributePath,
    definition: AttributeDefinition,
    multiValued: boolean,
    operator: string,
    pathToken: Token,
  ): FilterNode {
    const valueAttribute = findAttribute(definition.subAttributes, "value");
    if (valueAttribute) {
      this.index--;
      this.comparisons--;
      return this.parseCondition(
        { ...path, subAttribute: valueAttribute.name },
        valueAttribute,
        multiValued,
        pathToken,
      );
    }
    if (operator !== "pr") {
      this.failAt(
        pathToken,
        `"${pathToken.text}" is a complex attribute; compare one of its sub-attributes, like ${definition.name}.${definition.subAttributes?.[0]?.name}`,
      );
    }
    const presences = (definition.subAttributes ?? []).map(
      (sub): FilterNode => ({
        kind: "present",
        path: { ...path, subAttribute: sub.name },
        traits: traitsOf(sub, multiValued),
      }),
    );
    return presences.reduce((left, right) => ({ kind: "or", left, right }));
  }

  private literal(token: Token): FilterValue {
    if (token.kind === "string") return token.value;
    if (token.kind === "word") {
      const lower = token.text.toLowerCase();
      if (lower === "true") return true;
      if (lower === "false") return false;
      if (lower === "null") return null;
      if (NUMBER.test(token.text)) return Number(token.text);
    }
    this.failAt(
      token,
      `expected a value (a "quoted string", number, true, false or null), got "${token.text}"`,
    );
  }

  private coerceValue(
    value: FilterValue,
    traits: AttributeTraits,
    operator: CompareOperator,
    token: Token,
  ): FilterValue {
    if (value === null) {
      if (operator !== "eq" && operator !== "ne")
        this.failAt(token, `null can only be compared with eq or ne`);
      return null;
    }
    if (
      (operator === "gt" || operator === "ge" || operator === "lt" || operator === "le") &&
      (traits.type === "boolean" || traits.type === "binary")
    ) {
      // RFC 7644 §3.4.2.2: gt/ge/lt/le on boolean or binary attributes is a 400 invalidFilter.
      this.failAt(token, `${operator} cannot compare a ${traits.type} attribute`);
    }
    if (
      (operator === "co" || operator === "sw" || operator === "ew") &&
      traits.type !== "string" &&
      traits.type !== "reference"
    ) {
      this.failAt(token, `${operator} needs a string attribute, not a ${traits.type} one`);
    }
    switch (traits.type) {
      case "boolean":
        if (typeof value === "boolean") return value;
        if (typeof value === "string" && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
        return this.failAt(token, `expected true or false, got ${token.text}`);
      case "integer":
        if (typeof value === "number" && Number.isInteger(value)) return value;
        return this.failAt(token, `expected an integer, got ${token.text}`);
      case "decimal":
        if (typeof value === "number") return value;
        return this.failAt(token, `expected a number, got ${token.text}`);
      case "dateTime":
        if (typeof value === "string" && !Number.isNaN(Date.parse(value)))
          return new Date(value).toISOString();
        return this.failAt(
          token,
          `expected a date-time string like "2026-01-31T12:00:00Z", got ${token.text}`,
        );
      default:
        return typeof value === "string" ? value : String(value);
    }
  }

  private resolve(token: Token): ResolvedAttribute {
    const resolved = resolveAttributePath(this.resourceType, token.text);
    if (!resolved) this.failAt(token, `"${token.text}" is not an attribute of ${this.resourceType.name}`);
    const sub = resolved.subAttribute?.name;
    if (resolved.definition.name === "meta" && !resolved.schema && sub && !FILTERABLE_META.has(sub)) {
      // meta.resourceType/location/version are computed when rendering, not stored: no store can match them.
      this.failAt(token, `"${token.text}" cannot be filtered; meta.created and meta.lastModified can`);
    }
    return resolved;
  }

  private peekKeyword(keyword: string): boolean {
    const token = this.peek();
    return token !== undefined && this.isKeyword(token, keyword);
  }

  private isKeyword(token: Token, keyword: string): boolean {
    return token.kind === "word" && token.text.toLowerCase() === keyword;
  }
}

function traitsOf(definition: AttributeDefinition, multiValued: boolean): AttributeTraits {
  return {
    type: definition.type === "complex" ? "string" : definition.type,
    caseExact: definition.caseExact,
    multiValued,
  };
}
