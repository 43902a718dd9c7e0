/**
 * How stack config describes attribute mappings and scoping filters, in the portal's words.
 * Portal labels → Graph (../shared/docs/graph-provisioning.md, "Schema shape"): mapping type Direct =
 * `Attribute`, Constant = `Constant`, Expression = `Function`; "Match objects using this attribute" =
 * `matchingPriority`; "Apply this mapping" Always / Only during creation = `flowType` Always / ObjectAddOnly.
 */
export interface AttributeMappingSpec {
  /** SCIM attribute the app receives, e.g. `userName` or `emails[type eq "work"].value`. */
  readonly target: string;
  /** Direct mapping: the Entra attribute, e.g. `userPrincipalName`. */
  readonly source?: string;
  /** Constant mapping: the value sent. */
  readonly constant?: string;
  /** Expression mapping, e.g. `Join(" ", [givenName], [surname])`. */
  readonly expression?: string;
  /** Matching precedence (1 = tried first). Omit when the attribute is not used to match objects. */
  readonly matchingPrecedence?: number;
  /** @default "always" — "onCreate" applies the mapping only when the object is created. */
  readonly apply?: "always" | "onCreate";
  /** "Default value if null". */
  readonly defaultValue?: string;
}

export interface ScopingClauseSpec {
  /** Entra source attribute, e.g. `department`. */
  readonly attribute: string;
  /** Friendly operator name (`equals`, `is not null`, `REGEX MATCH`…), resolved against the job's operators. */
  readonly operator: string;
  /** Operand values (none for unary operators such as IS TRUE). */
  readonly values?: readonly string[];
}

/** One scoping filter: its clauses are ANDed. Several filters are ORed. */
export interface ScopingFilterSpec {
  readonly name?: string;
  readonly clauses: readonly ScopingClauseSpec[];
}

export const ACTIVE_FROM_SOFT_DELETE = 'Switch([IsSoftDeleted], , "False", "True", "True", "False")';

/**
 * The seed app's table (Cleanmail Swiss supports exactly these five attributes): every other target of
 * the template is removed so Entra only sends what the app takes.
 */
export const DEFAULT_USER_MAPPINGS: readonly AttributeMappingSpec[] = [
  { target: "userName", source: "userPrincipalName", matchingPrecedence: 1 },
  { target: "active", expression: ACTIVE_FROM_SOFT_DELETE },
  { target: "name.givenName", source: "givenName" },
  { target: "name.familyName", source: "surname" },
  { target: "externalId", source: "mailNickname" },
];

/** The non-gallery template's group mappings. */
export const DEFAULT_GROUP_MAPPINGS: readonly AttributeMappingSpec[] = [
  { target: "displayName", source: "displayName", matchingPrecedence: 1 },
  { target: "externalId", source: "objectId" },
  { target: "members", source: "members" },
];
