/**
 * SCIM filters for fuzzing `GET /Users?filter=` and `GET /Groups?filter=` (RFC 7644 §3.4.2.2):
 * - `validFilter`: follows the ABNF (attrExp / logExp / valuePath / not(...)), with attribute names
 *   the service knows, names it does not, odd casing (attribute names and operators are
 *   case-insensitive), and hostile literals (JSON-escaped unicode, LIKE wildcards, SQL fragments);
 * - `brokenFilter`: a valid filter with a random edit (character dropped, inserted, doubled; cut short);
 * - `rawFilter`: any string at all.
 * A service must answer every one of them with 200 (a ListResponse) or 400 `invalidFilter`.
 */
import fc from "fast-check";
import { nastyString, nastyUnit } from "./unicode";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";

export const USER_ATTRIBUTE_PATHS = [
  "userName",
  "displayName",
  "externalId",
  "id",
  "active",
  "title",
  "nickName",
  "preferredLanguage",
  "name.givenName",
  "name.familyName",
  "name.formatted",
  "emails",
  "emails.value",
  "emails.type",
  "emails.primary",
  "phoneNumbers.value",
  "addresses.streetAddress",
  "roles.value",
  "groups",
  "groups.value",
  "meta.created",
  "meta.lastModified",
  "meta.resourceType",
  "meta.version",
  `${ENTERPRISE}:employeeNumber`,
  `${ENTERPRISE}:department`,
  `${ENTERPRISE}:manager.value`,
  `${ENTERPRISE}:manager`,
  `${CORE_USER}:userName`,
  `${CORE_USER}:name.givenName`,
] as const;

export const GROUP_ATTRIBUTE_PATHS = [
  "displayName",
  "externalId",
  "id",
  "members",
  "members.value",
  "members.display",
  "members.type",
  "meta.created",
  "urn:ietf:params:scim:schemas:core:2.0:Group:displayName",
] as const;

const COMPARE_OPERATORS = ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"] as const;

/** Attribute names the service has never heard of, and names that are not names at all. */
const unknownAttribute = fc.oneof(
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,12}$/),
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,6}\.[A-Za-z][A-Za-z0-9]{0,6}$/),
  fc.constantFrom(
    "urn:bogus:schema:attr",
    "x.y.z",
    "1abc",
    "userName.",
    ".userName",
    "user name",
    "$ref",
    "__proto__",
  ),
);

const attributePath = (known: readonly string[]) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.mixedCase(fc.constantFrom(...known)) },
    { weight: 1, arbitrary: unknownAttribute },
  );

const operator = fc.oneof(
  { weight: 8, arbitrary: fc.mixedCase(fc.constantFrom(...COMPARE_OPERATORS)) },
  { weight: 1, arbitrary: fc.constantFrom("==", "like", "in", "=", "eqq", "") },
);

/** Hostile but well-formed string literals: what an attacker or a confused client puts between quotes. */
export const SQL_PAYLOADS = [
  "' OR '1'='1",
  "' OR 1=1 --",
  '" OR "1"="1',
  "'; DROP TABLE users; --",
  '"); DROP TABLE resources; --',
  "x' UNION SELECT sqlite_version() --",
  "'||pg_sleep(3)||'",
  "1; SELECT pg_sleep(3)",
  "%",
  "_",
  "%_%",
  "\\",
  "\\%",
  "[a-z]*",
  "$1",
  "?",
  ":name",
  "@p0",
  "'",
  "''",
  "\u0000",
  "*/",
  "E'\\x00'",
] as const;

const stringLiteral = fc.oneof(
  { weight: 4, arbitrary: nastyString.map((value) => JSON.stringify(value)) },
  { weight: 2, arbitrary: fc.constantFrom(...SQL_PAYLOADS).map((value) => JSON.stringify(value)) },
  { weight: 2, arbitrary: fc.uuid().map((value) => JSON.stringify(value)) },
  {
    weight: 1,
    arbitrary: fc
      .date({ min: new Date("1900-01-01"), max: new Date("2200-01-01"), noInvalidDate: true })
      .map((date) => JSON.stringify(date.toISOString())),
  },
);

const literal = fc.oneof(
  { weight: 6, arbitrary: stringLiteral },
  { weight: 1, arbitrary: fc.constantFrom("true", "false", "null", "True", "FALSE", "NULL") },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.integer().map(String),
      fc.double({ noNaN: true }).map(String),
      fc.constantFrom("1e400", "-0", "0x10", "1.", ".5", "9007199254740993", "-1e-400", "1_000"),
    ),
  },
);

const space = fc.constantFrom(" ", " ", " ", "  ", "\t", "+");

/** Grammar-valid filters (names may be unknown; a valid-looking filter may still be a 400). */
export function validFilter(known: readonly string[]): fc.Arbitrary<string> {
  const tree = fc.letrec<{ filter: string; valueFilter: string }>((tie) => ({
    filter: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc
        .tuple(attributePath(known), space, operator, space, literal)
        .map(([path, s1, op, s2, value]) => `${path}${s1}${op}${s2}${value}`),
      fc
        .tuple(attributePath(known), space, fc.mixedCase(fc.constant("pr")))
        .map(([path, s, pr]) => `${path}${s}${pr}`),
      fc
        .tuple(tie("filter"), space, fc.mixedCase(fc.constantFrom("and", "or")), space, tie("filter"))
        .map(([left, s1, logic, s2, right]) => `${left}${s1}${logic}${s2}${right}`),
      fc.tuple(tie("filter")).map(([inner]) => `(${inner})`),
      fc
        .tuple(fc.mixedCase(fc.constant("not")), fc.constantFrom("", " "), tie("filter"))
        .map(([not, s, inner]) => `${not}${s}(${inner})`),
      fc
        .tuple(
          fc.mixedCase(fc.constantFrom("emails", "members", "phoneNumbers", "addresses", "roles")),
          tie("valueFilter"),
        )
        .map(([path, inner]) => `${path}[${inner}]`),
    ),
    valueFilter: fc.oneof(
      { depthSize: "small" },
      fc
        .tuple(
          fc.constantFrom("type", "value", "primary", "display", "$ref"),
          space,
          operator,
          space,
          literal,
        )
        .map(([path, s1, op, s2, value]) => `${path}${s1}${op}${s2}${value}`),
      fc
        .tuple(tie("valueFilter"), space, fc.constantFrom("and", "or"), space, tie("valueFilter"))
        .map(([left, s1, logic, s2, right]) => `${left}${s1}${logic}${s2}${right}`),
    ),
  }));
  return tree.filter;
}

const GRAMMAR_CHARACTERS = [
  "(",
  ")",
  "[",
  "]",
  '"',
  "\\",
  " ",
  ".",
  ":",
  "and ",
  "or ",
  "not ",
  " eq ",
  " pr",
];

/** A valid filter with one random edit: the edits parsers get wrong (unbalanced, unterminated, truncated). */
export function brokenFilter(known: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(
      validFilter(known),
      fc.nat(),
      fc.constantFrom("drop", "insert", "double", "truncate"),
      fc.oneof(fc.constantFrom(...GRAMMAR_CHARACTERS), nastyUnit),
    )
    .map(([filter, where, edit, text]) => {
      const at = filter.length === 0 ? 0 : where % filter.length;
      switch (edit) {
        case "drop":
          return filter.slice(0, at) + filter.slice(at + 1);
        case "insert":
          return filter.slice(0, at) + text + filter.slice(at);
        case "double":
          return filter.slice(0, at) + filter.slice(at, at + 1).repeat(2) + filter.slice(at + 1);
        default:
          return filter.slice(0, at);
      }
    });
}

/** Anything: empty, whitespace, unicode, gigantic nesting, huge literals. */
export const rawFilter = fc.oneof(
  nastyString,
  fc.string({ unit: "binary", maxLength: 64 }),
  fc.constantFrom(
    "",
    " ",
    "()",
    "[]",
    '""',
    "not",
    "and",
    "eq",
    "userName eq",
    'userName eq "',
    "userName eq 'x'",
  ),
  fc
    .integer({ min: 1, max: 20_000 })
    .map((depth) => `${"(".repeat(depth)}userName eq "a"${")".repeat(depth)}`),
  fc
    .integer({ min: 1, max: 5_000 })
    .map((depth) => `${"not (".repeat(depth)}userName pr${")".repeat(depth)}`),
  fc.integer({ min: 2, max: 3_000 }).map((terms) => Array(terms).fill('userName eq "a"').join(" or ")),
  fc.integer({ min: 1, max: 200_000 }).map((length) => `userName eq "${"a".repeat(length)}"`),
  fc
    .integer({ min: 1, max: 2_000 })
    .map((depth) => `emails[${'value eq "x" and '.repeat(depth)}type eq "work"]`),
);

/**
 * Filters a correct service must answer with 200: known attributes, operators that suit their type,
 * literals of that type carrying hostile text. They get past the parser into the compiled SQL, which is
 * where a hostile value does harm.
 */
export function typedFilter(resource: "Users" | "Groups"): fc.Arbitrary<string> {
  const strings =
    resource === "Users"
      ? [
          "userName",
          "displayName",
          "externalId",
          "title",
          "name.givenName",
          "emails.value",
          "emails.type",
          `${ENTERPRISE}:employeeNumber`,
        ]
      : ["displayName", "externalId", "members.value", "members.display"];
  const stringComparison = fc
    .tuple(
      fc.mixedCase(fc.constantFrom(...strings)),
      fc.constantFrom("eq", "ne", "co", "sw", "ew", "gt", "lt"),
      stringLiteral,
    )
    .map(([path, op, value]) => `${path} ${op} ${value}`);
  const dateComparison = fc
    .tuple(
      fc.constantFrom("meta.created", "meta.lastModified"),
      fc.constantFrom("gt", "ge", "lt", "le"),
      fc.date({ min: new Date("1970-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }),
    )
    .map(([path, op, date]) => `${path} ${op} "${date.toISOString()}"`);
  const presence = fc.constantFrom(...strings).map((path) => `${path} pr`);
  const booleans =
    resource === "Users"
      ? [fc.constantFrom("active eq true", "active eq false", "emails.primary eq true")]
      : [];
  const atom = fc.oneof(stringComparison, dateComparison, presence, ...booleans);
  return fc.letrec<{ filter: string }>((tie) => ({
    filter: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      atom,
      fc
        .tuple(tie("filter"), fc.constantFrom("and", "or"), tie("filter"))
        .map(([left, logic, right]) => `(${left}) ${logic} (${right})`),
      tie("filter").map((inner) => `not (${inner})`),
      ...(resource === "Users"
        ? [stringLiteral.map((value) => `emails[type eq "work" and value co ${value}]`)]
        : [stringLiteral.map((value) => `members[value eq ${value}]`)]),
    ),
  })).filter;
}

export function anyFilter(known: readonly string[]): fc.Arbitrary<string> {
  const resource = known.includes("userName") ? "Users" : "Groups";
  return fc.oneof(
    { weight: 4, arbitrary: typedFilter(resource) },
    { weight: 5, arbitrary: validFilter(known) },
    { weight: 3, arbitrary: brokenFilter(known) },
    { weight: 2, arbitrary: rawFilter },
  );
}
