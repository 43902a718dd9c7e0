/**
 * RFC 7643 §7 / §8.7.1 attribute and schema definitions. The same objects are served by `/Schemas`
 * and used to canonicalise attribute names and check values, so discovery never drifts from behaviour.
 */

export type AttributeType =
  | "string"
  | "boolean"
  | "decimal"
  | "integer"
  | "dateTime"
  | "reference"
  | "binary"
  | "complex";

export interface AttributeDefinition {
  readonly name: string;
  readonly type: AttributeType;
  readonly multiValued: boolean;
  readonly description: string;
  readonly required: boolean;
  readonly caseExact: boolean;
  readonly mutability: "readOnly" | "readWrite" | "immutable" | "writeOnly";
  readonly returned: "always" | "never" | "default" | "request";
  readonly uniqueness: "none" | "server" | "global";
  readonly canonicalValues?: readonly string[];
  readonly referenceTypes?: readonly string[];
  readonly subAttributes?: readonly AttributeDefinition[];
}

export interface SchemaDefinition {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly attributes: readonly AttributeDefinition[];
}

type Options = Partial<Omit<AttributeDefinition, "name" | "type" | "subAttributes">>;

/** A definition with RFC 7643 §2.2 defaults: singular, optional, case-insensitive, readWrite, returned by default. */
export function attribute(
  name: string,
  type: Exclude<AttributeType, "complex">,
  description: string,
  options: Options = {},
): AttributeDefinition {
  return {
    name,
    type,
    multiValued: false,
    description,
    required: false,
    caseExact: false,
    mutability: "readWrite",
    returned: "default",
    uniqueness: "none",
    ...options,
  };
}

export function complexAttribute(
  name: string,
  description: string,
  subAttributes: readonly AttributeDefinition[],
  options: Options = {},
): AttributeDefinition {
  return { ...attribute(name, "string", description, options), type: "complex", subAttributes };
}

/**
 * The usual multi-valued element: value, display, type, primary (RFC 7643 §2.4).
 * `types` become the canonicalValues of `type`.
 */
export function multiValuedAttribute(
  name: string,
  description: string,
  valueType: Exclude<AttributeType, "complex">,
  types: readonly string[],
  extraSubAttributes: readonly AttributeDefinition[] = [],
): AttributeDefinition {
  return complexAttribute(
    name,
    description,
    [
      attribute("value", valueType, `The value of the ${name} entry.`),
      attribute("display", "string", "A human-readable name, primarily used for display purposes."),
      attribute("type", "string", "A label indicating the attribute's function.", {
        ...(types.length > 0 ? { canonicalValues: types } : {}),
      }),
      attribute("primary", "boolean", "The primary or preferred value; at most one element is primary."),
      ...extraSubAttributes,
    ],
    { multiValued: true },
  );
}

/**
 * Lower-cased name → definition for each attribute list seen, built once: every request resolves names
 * many times (normaliser, coercion, filters, PATCH paths), and a scan lower-casing each definition's
 * name per lookup showed in bench profiles. Schema lists are never mutated after construction; the
 * first definition of a name wins, as a front-to-back scan would.
 */
const attributesByLowerCaseName = new WeakMap<
  readonly AttributeDefinition[],
  ReadonlyMap<string, AttributeDefinition>
>();

function indexByLowerCaseName(
  attributes: readonly AttributeDefinition[],
): ReadonlyMap<string, AttributeDefinition> {
  let index = attributesByLowerCaseName.get(attributes);
  if (index === undefined) {
    const built = new Map<string, AttributeDefinition>();
    for (const definition of attributes) {
      const key = definition.name.toLowerCase();
      if (!built.has(key)) built.set(key, definition);
    }
    attributesByLowerCaseName.set(attributes, built);
    index = built;
  }
  return index;
}

/** Case-insensitive lookup of a sub-attribute or attribute by name (RFC 7643 §2.1: names are case-insensitive). */
export function findAttribute(
  attributes: readonly AttributeDefinition[] | undefined,
  name: string,
): AttributeDefinition | undefined {
  if (!attributes) return undefined;
  return indexByLowerCaseName(attributes).get(name.toLowerCase());
}
