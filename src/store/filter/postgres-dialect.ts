/**
 * PostgreSQL spelling of filters over the jsonb `document` column. A JSON value is a jsonb
 * expression; paths are bound as text[] parameters (`document #> $1::text[]`). Text ordering uses
 * COLLATE "C" so gt/lt order by code point, as on SQLite, whatever the database's locale.
 */
import type { FilterDialect } from "./dialect";

export const postgresDialect: FilterDialect<string> = {
  placeholder: (index) => `$${index + 1}`,
  bindValue: (value) => value,

  documentRoot: (alias) => `${alias}.document`,
  child: (ref, keys, parameter) => `(${ref} #> ${parameter(keys)}::text[])`,
  elements: (ref, alias) => ({
    fromItem:
      `jsonb_array_elements(CASE jsonb_typeof(${ref}) WHEN 'array' THEN ${ref}` +
      ` WHEN 'object' THEN jsonb_build_array(${ref}) ELSE '[]'::jsonb END) AS ${alias}(value)`,
    element: `${alias}.value`,
  }),
  primaryValue: (element, parameter) =>
    `(CASE WHEN jsonb_typeof(${element}) = 'object' THEN ${element} -> ${parameter("value")}::text ELSE ${element} END)`,

  jsonText: (ref) => `(CASE WHEN jsonb_typeof(${ref}) = 'string' THEN ${ref} #>> '{}' END)`,
  jsonNumber: (ref) => `(CASE WHEN jsonb_typeof(${ref}) = 'number' THEN (${ref})::numeric END)`,
  jsonIsBoolean: (ref, value) => `COALESCE(${ref} = '${value ? "true" : "false"}'::jsonb, FALSE)`,
  jsonPresent: (ref) =>
    `COALESCE(${ref} NOT IN ('null'::jsonb, '""'::jsonb, '[]'::jsonb, '{}'::jsonb), FALSE)`,

  lower: (text) => `lower(${text})`,
  textOrder: (left, operator, right) => `(${left}) COLLATE "C" ${operator} ${right}`,
  // E'\\' is one backslash whatever standard_conforming_strings says.
  like: (expression, pattern) => `${expression} LIKE ${pattern} ESCAPE E'\\\\'`,
  textParameter: (placeholder) => `${placeholder}::text`,
  booleanParameter: (placeholder) => `${placeholder}::boolean`,
  timestampParameter: (placeholder) => `${placeholder}::timestamptz`,
  numberParameter: (placeholder) => `${placeholder}::numeric`,
  true: "TRUE",
  false: "FALSE",
};
