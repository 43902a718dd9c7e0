/**
 * SQLite spelling of filters, over the JSON1 functions (https://sqlite.org/json1.html).
 * A JSON value is three expressions: its json_type(), its SQL value (json_extract: text for strings,
 * 1/0 for booleans) and a JSON text "container" that nested paths are read from. Named parameters
 * (`@p0`) let one placeholder appear several times.
 *
 * Needs the connection set up by sqlite-store.ts: `PRAGMA case_sensitive_like = ON` (LIKE is
 * case-sensitive, folding is explicit) and the `unicode_lower` function (SQLite's lower() folds ASCII
 * only).
 */
import { ScimError } from "../../scim/errors";
import type { BindableValue, FilterDialect } from "./dialect";

export interface SqliteJsonRef {
  readonly type: string;
  readonly value: string;
  readonly container: string;
}

export const UNICODE_LOWER_FUNCTION = "unicode_lower";

/**
 * What `unicode_lower` computes: the Unicode *simple* lowercase mapping, code point by code point — the
 * folding PostgreSQL's lower() applies (postgres-dialect.ts), so a case-insensitive filter selects the
 * same resources on both engines. JavaScript's toLowerCase() on a whole string applies the full mapping
 * instead (İ → "i̇", a word-final Σ → ς) and made `title eq "ISTANBUL"` match "İstanbul" on PostgreSQL
 * only (found by test/robustness/engine-differential.test.ts). Per code point, toLowerCase() is the simple
 * mapping except for U+0130, the one character with an unconditional multi-character lowercase.
 */
export function simpleLowerCase(text: string): string {
  let folded = "";
  for (const character of text) folded += character === "\u0130" ? "i" : character.toLowerCase();
  return folded;
}

export const sqliteDialect: FilterDialect<SqliteJsonRef> = {
  placeholder: (index) => `@p${index}`,
  bindValue: (value) => {
    if (typeof value === "boolean") return value ? 1 : 0;
    if (value instanceof Date) return value.toISOString();
    if (Array.isArray(value)) return JSON.stringify(value);
    return value;
  },

  documentRoot: (alias) => ({ type: "'object'", value: `${alias}.document`, container: `${alias}.document` }),
  child(ref, keys, parameter) {
    const path = parameter(jsonPathOf(keys));
    return {
      type: `json_type(${ref.container}, ${path})`,
      value: `json_extract(${ref.container}, ${path})`,
      container: `(${ref.container} -> ${path})`,
    };
  },
  elements(ref, alias) {
    return {
      fromItem:
        `json_each(CASE ${ref.type} WHEN 'array' THEN ${ref.container}` +
        ` WHEN 'object' THEN json_array(json(${ref.container})) END) AS ${alias}`,
      element: {
        type: `${alias}.type`,
        value: `${alias}.value`,
        container: `(CASE WHEN ${alias}.type IN ('object', 'array') THEN ${alias}.value END)`,
      },
    };
  },
  primaryValue(element, parameter) {
    const path = parameter("$.value");
    const isObject = `${element.type} = 'object'`;
    return {
      type: `(CASE WHEN ${isObject} THEN json_type(${element.container}, ${path}) ELSE ${element.type} END)`,
      value: `(CASE WHEN ${isObject} THEN json_extract(${element.container}, ${path}) ELSE ${element.value} END)`,
      container: `(CASE WHEN ${isObject} THEN (${element.container} -> ${path}) ELSE ${element.container} END)`,
    };
  },

  jsonText: (ref) => `(CASE WHEN ${ref.type} = 'text' THEN ${ref.value} END)`,
  jsonNumber: (ref) => `(CASE WHEN ${ref.type} IN ('integer', 'real') THEN ${ref.value} END)`,
  jsonIsBoolean: (ref, value) => `COALESCE(${ref.type} = '${value ? "true" : "false"}', FALSE)`,
  jsonPresent: (ref) =>
    `COALESCE(CASE ${ref.type} WHEN 'text' THEN ${ref.value} <> ''` +
    ` WHEN 'array' THEN json_array_length(${ref.container}) > 0` +
    ` WHEN 'object' THEN ${ref.container} <> '{}'` +
    ` WHEN 'null' THEN FALSE ELSE ${ref.type} IS NOT NULL END, FALSE)`,

  lower: (text) => `${UNICODE_LOWER_FUNCTION}(${text})`,
  // BINARY collation compares UTF-8 bytes, which orders like code points.
  textOrder: (left, operator, right) => `${left} ${operator} ${right}`,
  like: (expression, pattern) => `${expression} LIKE ${pattern} ESCAPE '\\'`,
  textParameter: (placeholder) => placeholder,
  booleanParameter: (placeholder) => placeholder,
  // Timestamps are stored as Date.toISOString() text, so they order as text.
  timestampParameter: (placeholder) => placeholder,
  numberParameter: (placeholder) => placeholder,
  true: "TRUE",
  false: "FALSE",
};

/**
 * `$."key"."sub"`. Keys are schema attribute names and URNs, never client text, but a quote or
 * backslash would change the path's meaning, so refuse them instead of trusting that.
 */
function jsonPathOf(keys: readonly string[]): string {
  return `$${keys
    .map((key) => {
      if (/["\\]/.test(key))
        throw new ScimError(400, "invalidFilter", `attribute name ${JSON.stringify(key)} is not valid`);
      return `."${key}"`;
    })
    .join("")}`;
}

export function sqliteParameters(values: readonly unknown[]): Record<string, unknown> {
  const named: Record<string, unknown> = {};
  values.forEach((value, index) => {
    named[`p${index}`] = value;
  });
  return named;
}

export type { BindableValue };
