/**
 * What differs between engines when a filter becomes SQL. The compiler (compile-filter.ts) owns the
 * structure of the query — which column or JSON value an attribute maps to, EXISTS over multi-valued
 * attributes, null handling, the meaning of each operator — and asks a dialect only how to spell
 * each piece. Every value and every JSON path reaches the database as a bound parameter: a dialect
 * receives placeholders, never user text.
 *
 * `Ref` is the dialect's handle on a JSON value inside a document (a jsonb expression for
 * PostgreSQL; type/value/container expressions for SQLite's json_* functions).
 */
export interface FilterDialect<Ref> {
  /** SQL placeholder for the parameter at `index` (0-based) in the parameter list. */
  placeholder(index: number): string;
  /** Converts a value to what the driver binds (SQLite cannot bind booleans). */
  bindValue(value: BindableValue): unknown;

  /** The document of the resource row `alias`. */
  documentRoot(alias: string): Ref;
  /** The JSON value below `ref` at `keys` (object keys); the path is bound through `parameter`. */
  child(ref: Ref, keys: readonly string[], parameter: (value: BindableValue) => string): Ref;
  /**
   * FROM item iterating the elements of `ref` — each element of an array, the value itself when it
   * is a lone object (a single-valued complex attribute), nothing otherwise — and one element's Ref.
   */
  elements(ref: Ref, alias: string): { fromItem: string; element: Ref };
  /** An element of a multi-valued attribute as a value: its `value` sub-attribute when complex. */
  primaryValue(element: Ref, parameter: (value: BindableValue) => string): Ref;

  /** Text of a JSON string; NULL for any other JSON type. */
  jsonText(ref: Ref): string;
  /** Number of a JSON number; NULL otherwise. */
  jsonNumber(ref: Ref): string;
  /** TRUE when the JSON value is the boolean `value`. */
  jsonIsBoolean(ref: Ref, value: boolean): string;
  /** RFC 7644 §3.4.2.2 `pr`: not null, not "", not [] and not {}. */
  jsonPresent(ref: Ref): string;

  /** Case folding for caseExact=false comparisons of text expressions. */
  lower(textExpression: string): string;
  /** Ordering comparison of text, code-point order on every engine. */
  textOrder(left: string, operator: "<" | "<=" | ">" | ">=", right: string): string;
  /** `expression LIKE pattern` with `\` as the escape character, case-sensitive. */
  like(expression: string, pattern: string): string;
  /** Casts a placeholder bound to a text / boolean / timestamp / number to that SQL type. */
  textParameter(placeholder: string): string;
  booleanParameter(placeholder: string): string;
  timestampParameter(placeholder: string): string;
  numberParameter(placeholder: string): string;

  readonly true: string;
  readonly false: string;
}

/** Values the compiler binds. Dates are timestamps of the meta columns. */
export type BindableValue = string | number | boolean | null | Date | readonly string[];
