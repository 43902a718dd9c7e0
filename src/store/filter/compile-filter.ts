/**
 * RFC 7644 §3.4.2.2 filter AST → a parameterised SQL boolean expression over the `resources` row
 * `alias`. Structure lives here, spelling in the dialect (sqlite-dialect.ts, postgres-dialect.ts).
 *
 * Guarantees:
 * - Every value and every JSON path is a bound parameter; SQL text is built only from constants of
 *   this file and the dialects, plus generated table aliases.
 * - Every expression is TRUE or FALSE, never NULL, so `not` and `ne` behave: an absent attribute
 *   matches `ne "x"` and `not (x eq "y")`, and never matches `eq`, `co`, `gt`, … .
 * - Indexed columns serve the attributes Entra filters on: id, externalId, userName (User) and
 *   displayName (Group) through `name_lower`, active, meta.created, meta.lastModified.
 * - Multi-valued attributes match when any element matches (RFC 7644 §3.4.2.2: "if any of the
 *   values match"); `ne` on them means "no element equals". Group members and a user's groups are
 *   filtered through `group_members`.
 */
import { ScimError } from "../../scim/errors";
import type {
  AttributePath,
  AttributeTraits,
  CompareOperator,
  FilterNode,
  FilterValue,
} from "../../scim/filter/ast";
import type { QueryOptions, ResourceType } from "../contract";
import { foldCase, pageWindow } from "../resource-columns";
import type { BindableValue, FilterDialect } from "./dialect";

/** The growing parameter list of one SQL statement. */
export class SqlParameters {
  readonly values: unknown[] = [];
  constructor(private readonly dialect: FilterDialect<unknown>) {}

  add(value: BindableValue): string {
    this.values.push(this.dialect.bindValue(value));
    return this.dialect.placeholder(this.values.length - 1);
  }
}

export interface FilterTarget {
  /** Alias of the `resources` row being filtered. */
  readonly alias: string;
  readonly resourceType: ResourceType;
}

export function compileFilter<Ref>(
  dialect: FilterDialect<Ref>,
  filter: FilterNode,
  target: FilterTarget,
  parameters: SqlParameters,
): string {
  return new FilterCompiler(dialect, target, parameters).compile(filter, { kind: "resource" });
}

/**
 * The parts of a list query both engines build the same way: the WHERE condition (resource type, then the
 * compiled filter on alias `r`), the LIMIT and OFFSET placeholders, and the parameters they bind, in order.
 */
export function listQueryParts<Ref>(
  dialect: FilterDialect<Ref>,
  type: ResourceType,
  options: QueryOptions,
): {
  where: string;
  limit: string;
  offset: string;
  window: { limit: number; offset: number };
  parameters: SqlParameters;
} {
  const parameters = new SqlParameters(dialect);
  const conditions = [`r.type = ${parameters.add(type)}`];
  if (options.filter) {
    conditions.push(compileFilter(dialect, options.filter, { alias: "r", resourceType: type }, parameters));
  }
  const window = pageWindow(options);
  return {
    where: conditions.join(" AND "),
    window,
    limit: parameters.add(window.limit),
    offset: parameters.add(window.offset),
    parameters,
  };
}

type Test = { readonly op: "pr" } | { readonly op: CompareOperator; readonly value: FilterValue };

/** A relation reached through group_members: a group's members, a user's groups. */
interface Relation {
  readonly attribute: string;
  /** SQL of `EXISTS (… WHERE <condition>)` with the membership alias `m` and related row `o`. */
  exists(condition: string): string;
  membershipAlias: string;
  relatedAlias: string;
  /** Which side of group_members holds the related resource's id. */
  relatedIdColumn: "member_id" | "group_id";
}

type Scope<Ref> =
  | { readonly kind: "resource" }
  | { readonly kind: "jsonElement"; readonly element: Ref }
  | { readonly kind: "relation"; readonly relation: Relation };

/** A column compared directly; `name_lower` holds the case-folded name (resource-columns.ts). */
type Column =
  | { readonly kind: "text"; readonly sql: string; readonly caseExact: boolean; readonly nulls: Nulls }
  | { readonly kind: "foldedName"; readonly sql: string; readonly exactSql: string }
  | { readonly kind: "boolean"; readonly sql: string }
  | { readonly kind: "timestamp"; readonly sql: string };

/**
 * How a comparison is kept TRUE/FALSE (never NULL) without hiding it from the planner: `col = $1` on a
 * NOT NULL column is already definite; a nullable column gets `AND col IS NOT NULL` (NULL AND FALSE is
 * FALSE, and `col = $1` stays an indexable conjunct); JSON expressions, never indexed, get COALESCE.
 */
type Nulls = "never" | "column" | "json";

const ORDER_OPERATORS = { gt: ">", ge: ">=", lt: "<", le: "<=" } as const;

class FilterCompiler<Ref> {
  private aliasCount = 0;

  constructor(
    private readonly dialect: FilterDialect<Ref>,
    private readonly target: FilterTarget,
    private readonly parameters: SqlParameters,
  ) {}

  private readonly parameter = (value: BindableValue): string => this.parameters.add(value);

  compile(node: FilterNode, scope: Scope<Ref>): string {
    switch (node.kind) {
      case "and":
        return `(${this.compile(node.left, scope)} AND ${this.compile(node.right, scope)})`;
      case "or":
        return `(${this.compile(node.left, scope)} OR ${this.compile(node.right, scope)})`;
      case "not":
        return `(NOT ${this.compile(node.filter, scope)})`;
      case "present":
        return this.leaf(node.path, node.traits, { op: "pr" }, scope);
      case "compare":
        return this.leaf(node.path, node.traits, { op: node.op, value: node.value }, scope);
      case "valuePath":
        return this.valuePath(node.path, node.filter, scope);
    }
  }

  private leaf(path: AttributePath, traits: AttributeTraits, test: Test, scope: Scope<Ref>): string {
    if (scope.kind === "jsonElement") {
      const keys = path.subAttribute ? [path.attribute, path.subAttribute] : [path.attribute];
      return this.jsonTest(this.dialect.child(scope.element, keys, this.parameter), traits, test, path);
    }
    if (scope.kind === "relation") {
      return this.relationTest(scope.relation, path.attribute, test, path);
    }

    const column = this.resourceColumn(path, traits);
    if (column) return this.columnTest(column, test, path);

    const relation = this.relationOf(path);
    if (relation) {
      if (test.op === "pr" && !path.subAttribute) return relation.exists(this.dialect.true);
      return this.anyElement(test, (elementTest) =>
        relation.exists(this.relationTest(relation, path.subAttribute ?? "value", elementTest, path)),
      );
    }

    const root = this.dialect.documentRoot(this.target.alias);
    const keys = path.schema ? [path.schema, path.attribute] : [path.attribute];
    if (!traits.multiValued) {
      const ref = this.dialect.child(
        root,
        path.subAttribute ? [...keys, path.subAttribute] : keys,
        this.parameter,
      );
      return this.jsonTest(ref, traits, test, path);
    }
    const array = this.dialect.child(root, keys, this.parameter);
    if (test.op === "pr" && !path.subAttribute) return this.dialect.jsonPresent(array);
    return this.anyElement(test, (elementTest) => {
      const alias = this.nextAlias("element");
      const { fromItem, element } = this.dialect.elements(array, alias);
      const value = path.subAttribute
        ? this.dialect.child(element, [path.subAttribute], this.parameter)
        : this.dialect.primaryValue(element, this.parameter);
      return `EXISTS (SELECT 1 FROM ${fromItem} WHERE ${this.jsonTest(value, traits, elementTest, path)})`;
    });
  }

  /** Multi-valued: any element matches; `ne` means no element is equal. */
  private anyElement(test: Test, existsFor: (elementTest: Test) => string): string {
    if (test.op === "ne") return `(NOT ${existsFor({ op: "eq", value: test.value })})`;
    return existsFor(test);
  }

  private valuePath(path: AttributePath, filter: FilterNode, scope: Scope<Ref>): string {
    if (scope.kind !== "resource") {
      throw new ScimError(400, "invalidFilter", `value filters cannot be nested (in "${describe(path)}")`);
    }
    const relation = this.relationOf(path);
    if (relation) return relation.exists(this.compile(filter, { kind: "relation", relation }));

    const root = this.dialect.documentRoot(this.target.alias);
    const keys = path.schema ? [path.schema, path.attribute] : [path.attribute];
    const alias = this.nextAlias("element");
    const { fromItem, element } = this.dialect.elements(
      this.dialect.child(root, keys, this.parameter),
      alias,
    );
    return `EXISTS (SELECT 1 FROM ${fromItem} WHERE ${this.compile(filter, { kind: "jsonElement", element })})`;
  }

  // --- indexed columns -------------------------------------------------------------------------

  private resourceColumn(path: AttributePath, traits: AttributeTraits): Column | undefined {
    if (path.schema) return undefined;
    const alias = this.target.alias;
    const { attribute, subAttribute } = path;
    if (attribute === "meta") {
      if (subAttribute === "created") return { kind: "timestamp", sql: `${alias}.created` };
      if (subAttribute === "lastModified") return { kind: "timestamp", sql: `${alias}.last_modified` };
      return undefined;
    }
    if (subAttribute) return undefined;
    if (attribute === "id") return { kind: "text", sql: `${alias}.id`, caseExact: true, nulls: "never" };
    if (attribute === "externalId") {
      return { kind: "text", sql: `${alias}.external_id`, caseExact: true, nulls: "column" };
    }
    const nameAttribute = this.target.resourceType === "User" ? "userName" : "displayName";
    if (attribute === nameAttribute) {
      return traits.caseExact
        ? { kind: "text", sql: `${alias}.name`, caseExact: true, nulls: "never" }
        : { kind: "foldedName", sql: `${alias}.name_lower`, exactSql: `${alias}.name` };
    }
    if (attribute === "active" && this.target.resourceType === "User") {
      return { kind: "boolean", sql: `${alias}.active` };
    }
    return undefined;
  }

  private columnTest(column: Column, test: Test, path: AttributePath): string {
    const { dialect } = this;
    switch (column.kind) {
      case "text":
        if (test.op === "pr") return this.definite(`${column.sql} <> ''`, column.sql, column.nulls);
        return this.textTest(column.sql, test, path, column.caseExact ? "exact" : "fold", column.nulls);
      case "foldedName":
        if (test.op === "pr") return `(${column.exactSql} <> '')`;
        return this.textTest(column.sql, test, path, "alreadyFolded", "never");
      case "boolean": {
        if (test.op === "pr") return `(${column.sql} IS NOT NULL)`;
        if (test.value === null) return this.nullTest(test, `(${column.sql} IS NOT NULL)`, path);
        const value = dialect.booleanParameter(this.parameter(booleanOf(test.value, path)));
        return this.equalityOnly(test, path, this.definite(`${column.sql} = ${value}`, column.sql, "column"));
      }
      case "timestamp": {
        if (test.op === "pr") return `(${column.sql} IS NOT NULL)`;
        const value = dialect.timestampParameter(this.parameter(dateOf(test.value, path)));
        return this.orderedTest(column.sql, test.op, value, path, "never");
      }
    }
  }

  // --- relations (group_members) ----------------------------------------------------------------

  private relationOf(path: AttributePath): Relation | undefined {
    if (path.schema) return undefined;
    const resource = this.target.alias;
    const membershipAlias = this.nextAlias("membership");
    const relatedAlias = this.nextAlias("related");
    const relation = (
      ownSide: "group_id" | "member_id",
      relatedIdColumn: "member_id" | "group_id",
    ): Relation => ({
      attribute: path.attribute,
      membershipAlias,
      relatedAlias,
      relatedIdColumn,
      exists: (condition) =>
        `EXISTS (SELECT 1 FROM group_members ${membershipAlias} JOIN resources ${relatedAlias}` +
        ` ON ${relatedAlias}.id = ${membershipAlias}.${relatedIdColumn}` +
        ` WHERE ${membershipAlias}.${ownSide} = ${resource}.id AND ${condition})`,
    });
    if (this.target.resourceType === "Group" && path.attribute === "members") {
      return relation("group_id", "member_id");
    }
    if (this.target.resourceType === "User" && path.attribute === "groups") {
      return relation("member_id", "group_id");
    }
    return undefined;
  }

  /** `value`, `display` and `type` of a member (or of a user's group), from the relation. */
  private relationTest(relation: Relation, subAttribute: string, test: Test, path: AttributePath): string {
    const related = relation.relatedAlias;
    switch (subAttribute) {
      case "value":
        if (test.op === "pr") return this.dialect.true;
        return this.textTest(
          `${relation.membershipAlias}.${relation.relatedIdColumn}`,
          test,
          path,
          "exact",
          "never",
        );
      case "display":
        if (test.op === "pr") return `(${related}.name <> '')`;
        return this.textTest(`${related}.name_lower`, test, path, "alreadyFolded", "never");
      case "type": {
        if (test.op === "pr") return this.dialect.true;
        // Group.members.type is the member's resource type; User.groups.type is "direct" or
        // "indirect" (RFC 7643 §4.1.2), and every stored membership is direct.
        const type =
          relation.relatedIdColumn === "member_id"
            ? `${related}.type`
            : this.dialect.textParameter(this.parameter("direct"));
        return this.textTest(type, test, path, "fold", "never");
      }
      default:
        throw new ScimError(
          400,
          "invalidFilter",
          `"${relation.attribute}.${subAttribute}" cannot be filtered; use value, display or type`,
        );
    }
  }

  // --- JSON values ----------------------------------------------------------------------------

  private jsonTest(ref: Ref, traits: AttributeTraits, test: Test, path: AttributePath): string {
    const { dialect } = this;
    if (test.op === "pr") return dialect.jsonPresent(ref);
    if (test.value === null) return this.nullTest(test, dialect.jsonPresent(ref), path);
    switch (traits.type) {
      case "boolean": {
        const equal = dialect.jsonIsBoolean(ref, booleanOf(test.value, path));
        return this.equalityOnly(test, path, equal);
      }
      case "integer":
      case "decimal": {
        const value = dialect.numberParameter(this.parameter(numberOf(test.value, path)));
        return this.orderedTest(dialect.jsonNumber(ref), test.op, value, path, "json");
      }
      case "binary":
        if (test.op !== "eq" && test.op !== "ne") {
          // RFC 7644 §3.4.2.2: gt/ge/lt/le on binary attributes fail with invalidFilter.
          throw new ScimError(
            400,
            "invalidFilter",
            `"${describe(path)}" is binary; only eq, ne and pr apply`,
          );
        }
        return this.textTest(dialect.jsonText(ref), test, path, traits.caseExact ? "exact" : "fold", "json");
      default:
        return this.textTest(dialect.jsonText(ref), test, path, traits.caseExact ? "exact" : "fold", "json");
    }
  }

  // --- comparisons ------------------------------------------------------------------------------

  /**
   * Text comparison. `fold` lowers both sides in SQL; `alreadyFolded` compares a folded column with
   * a value folded here by the same function that filled the column, so the column's index is used.
   */
  private textTest(
    left: string,
    test: { op: CompareOperator; value: FilterValue },
    path: AttributePath,
    caseMode: "exact" | "fold" | "alreadyFolded",
    nulls: Nulls,
  ): string {
    const { dialect } = this;
    if (test.value === null) return this.nullTest(test, this.definite(`${left} <> ''`, left, nulls), path);
    const text = textOf(test.value, path);
    const bind = (value: string): string => {
      if (caseMode === "alreadyFolded") return dialect.textParameter(this.parameter(foldCase(value)));
      const placeholder = dialect.textParameter(this.parameter(value));
      return caseMode === "fold" ? dialect.lower(placeholder) : placeholder;
    };
    const subject = caseMode === "fold" ? dialect.lower(left) : left;
    switch (test.op) {
      case "eq":
        return this.definite(`${subject} = ${bind(text)}`, left, nulls);
      case "ne":
        return `(NOT ${this.definite(`${subject} = ${bind(text)}`, left, nulls)})`;
      case "co":
        return this.definite(dialect.like(subject, bind(`%${escapeLike(text)}%`)), left, nulls);
      case "sw":
        return this.definite(dialect.like(subject, bind(`${escapeLike(text)}%`)), left, nulls);
      case "ew":
        return this.definite(dialect.like(subject, bind(`%${escapeLike(text)}`)), left, nulls);
      default:
        return this.definite(dialect.textOrder(subject, ORDER_OPERATORS[test.op], bind(text)), left, nulls);
    }
  }

  /** Numbers and timestamps: eq, ne and ordering; substring operators make no sense. */
  private orderedTest(
    left: string,
    op: CompareOperator,
    value: string,
    path: AttributePath,
    nulls: Nulls,
  ): string {
    switch (op) {
      case "eq":
        return this.definite(`${left} = ${value}`, left, nulls);
      case "ne":
        return `(NOT ${this.definite(`${left} = ${value}`, left, nulls)})`;
      case "co":
      case "sw":
      case "ew":
        throw new ScimError(
          400,
          "invalidFilter",
          `"${op}" does not apply to "${describe(path)}"; use eq, ne, gt, ge, lt or le`,
        );
      default:
        return this.definite(`${left} ${ORDER_OPERATORS[op]} ${value}`, left, nulls);
    }
  }

  /** `comparison` as TRUE or FALSE, never NULL (see Nulls). */
  private definite(comparison: string, subject: string, nulls: Nulls): string {
    switch (nulls) {
      case "never":
        return `(${comparison})`;
      case "column":
        return `(${comparison} AND ${subject} IS NOT NULL)`;
      case "json":
        return `COALESCE(${comparison}, ${this.dialect.false})`;
    }
  }

  /** Booleans: RFC 7644 §3.4.2.2 — gt/ge/lt/le on booleans fail with invalidFilter. */
  private equalityOnly(test: Test, path: AttributePath, equal: string): string {
    if (test.op === "eq") return equal;
    if (test.op === "ne") return `(NOT ${equal})`;
    throw new ScimError(
      400,
      "invalidFilter",
      `"${test.op}" does not apply to boolean "${describe(path)}"; use eq or ne`,
    );
  }

  /** `eq null` means absent, `ne null` present; nothing else compares with null. */
  private nullTest(test: Test, present: string, path: AttributePath): string {
    if (test.op === "eq") return `(NOT ${present})`;
    if (test.op === "ne") return present;
    throw new ScimError(
      400,
      "invalidFilter",
      `"${describe(path)} ${test.op} null" is not a valid comparison`,
    );
  }

  private nextAlias(purpose: string): string {
    this.aliasCount += 1;
    return `${purpose}_${this.aliasCount}`;
  }
}

/** `%`, `_` and the escape character itself are literal in a SCIM value. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (character) => `\\${character}`);
}

function describe(path: AttributePath): string {
  const attribute = path.schema ? `${path.schema}:${path.attribute}` : path.attribute;
  return path.subAttribute ? `${attribute}.${path.subAttribute}` : attribute;
}

function textOf(value: string | number | boolean, path: AttributePath): string {
  if (typeof value === "string") return value;
  throw new ScimError(
    400,
    "invalidFilter",
    `"${describe(path)}" is a string; quote the value (got ${value})`,
  );
}

/** Entra sends booleans as strings in places ("True"); accept them in filters too. */
function booleanOf(value: string | number | boolean, path: AttributePath): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
  throw new ScimError(
    400,
    "invalidFilter",
    `"${describe(path)}" is a boolean; compare it with true or false (got ${JSON.stringify(value)})`,
  );
}

function numberOf(value: string | number | boolean, path: AttributePath): number {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)))
    return Number(value);
  throw new ScimError(400, "invalidFilter", `"${describe(path)}" is a number (got ${JSON.stringify(value)})`);
}

function dateOf(value: FilterValue, path: AttributePath): Date {
  const date = typeof value === "string" ? new Date(value) : undefined;
  if (date && !Number.isNaN(date.getTime())) return date;
  throw new ScimError(
    400,
    "invalidFilter",
    `"${describe(path)}" is a dateTime; use an RFC 3339 value such as "2024-01-31T08:00:00Z" (got ${JSON.stringify(value)})`,
  );
}
