/**
 * RFC 7644 §3.4.2.2 filter, parsed. The protocol layer produces it (parser.ts); each store engine
 * compiles it to parameterised SQL. Attribute paths are normalised by the parser: schema URN prefixes
 * of the resource's own schemas are stripped for core attributes, kept for extension attributes
 * (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber`), and names are given
 * in their canonical schema spelling (`userName`, not `USERNAME`), since attribute names are
 * case-insensitive (RFC 7643 §2.1).
 */
export type CompareOperator = "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "ge" | "lt" | "le";

/** A literal from the filter: string, number, boolean or null (RFC 7644 compValue). */
export type FilterValue = string | number | boolean | null;

export interface AttributePath {
  /** Extension schema URN, when the attribute belongs to an extension; undefined for core attributes. */
  readonly schema?: string;
  /** Top-level attribute name in canonical spelling, e.g. `emails`, `name`, `userName`. */
  readonly attribute: string;
  /** Sub-attribute in canonical spelling, e.g. `value`, `givenName`. */
  readonly subAttribute?: string;
}

/** What the schema says of the attribute a comparison reads; engines need it to compare correctly. */
export interface AttributeTraits {
  readonly type: "string" | "boolean" | "decimal" | "integer" | "dateTime" | "reference" | "binary";
  /** false → compare case-insensitively (userName, displayName, emails.value…). RFC 7643 §2.3. */
  readonly caseExact: boolean;
  /** true when the attribute (or its parent) is multi-valued: match if any element matches. */
  readonly multiValued: boolean;
}

export type FilterNode =
  | {
      readonly kind: "compare";
      readonly path: AttributePath;
      readonly op: CompareOperator;
      readonly value: FilterValue;
      readonly traits: AttributeTraits;
    }
  | { readonly kind: "present"; readonly path: AttributePath; readonly traits: AttributeTraits }
  | { readonly kind: "and"; readonly left: FilterNode; readonly right: FilterNode }
  | { readonly kind: "or"; readonly left: FilterNode; readonly right: FilterNode }
  | { readonly kind: "not"; readonly filter: FilterNode }
  /**
   * `emails[type eq "work" and primary eq true]`: true when one element of the multi-valued attribute
   * matches `filter`, whose paths are relative to the element (`{ attribute: "type" }`).
   */
  | { readonly kind: "valuePath"; readonly path: AttributePath; readonly filter: FilterNode };
