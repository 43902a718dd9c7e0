/**
 * RFC 7643 §4.1 / §8.7.1 core User schema. `password` is left out on purpose: scimkit never stores
 * credentials, so a password sent by a client is ignored like any unknown attribute. `groups` (readOnly)
 * can be filtered (`groups[value eq "<group id>"]`, answered from the membership relation) but is not
 * rendered in User responses: memberships are read from the group side (GET /Groups/{id}).
 */
import {
  type AttributeDefinition,
  attribute,
  complexAttribute,
  multiValuedAttribute,
  type SchemaDefinition,
} from "./attribute";

export const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";

const name = complexAttribute("name", "The components of the user's real name.", [
  attribute("formatted", "string", "The full name, formatted for display."),
  attribute("familyName", "string", "The family name of the User."),
  attribute("givenName", "string", "The given name of the User."),
  attribute("middleName", "string", "The middle name(s) of the User."),
  attribute("honorificPrefix", "string", "The honorific prefix(es) of the User."),
  attribute("honorificSuffix", "string", "The honorific suffix(es) of the User."),
]);

const addresses: AttributeDefinition = complexAttribute(
  "addresses",
  "A physical mailing address for this User.",
  [
    attribute("formatted", "string", "The full mailing address, formatted for display."),
    attribute("streetAddress", "string", "The full street address component."),
    attribute("locality", "string", "The city or locality component."),
    attribute("region", "string", "The state or region component."),
    attribute("postalCode", "string", "The zip code or postal code component."),
    attribute("country", "string", "The country name component (ISO 3166-1 alpha-2)."),
    attribute("type", "string", "A label indicating the attribute's function.", {
      canonicalValues: ["work", "home", "other"],
    }),
    attribute("primary", "boolean", "The primary mailing address; at most one element is primary."),
  ],
  { multiValued: true },
);

const groups: AttributeDefinition = complexAttribute(
  "groups",
  "The groups the user belongs to. Filterable; not returned in User responses: read GET /Groups/{id}.",
  [
    attribute("value", "string", "The id of the group.", { caseExact: true, mutability: "readOnly" }),
    attribute("$ref", "reference", "The URI of the group.", {
      caseExact: true,
      mutability: "readOnly",
      referenceTypes: ["Group"],
    }),
    attribute("display", "string", "The displayName of the group.", { mutability: "readOnly" }),
    attribute("type", "string", "How the membership came about.", {
      mutability: "readOnly",
      canonicalValues: ["direct"],
    }),
  ],
  { multiValued: true, mutability: "readOnly", returned: "request" },
);

export const userSchema: SchemaDefinition = {
  id: USER_SCHEMA,
  name: "User",
  description: "User Account",
  attributes: [
    attribute("userName", "string", "Unique identifier for the User, typically used to sign in.", {
      required: true,
      uniqueness: "server",
    }),
    name,
    attribute("displayName", "string", "The name of the User, suitable for display to end-users."),
    attribute("nickName", "string", "The casual way to address the user."),
    attribute("profileUrl", "reference", "A fully qualified URL pointing to the User's online profile.", {
      referenceTypes: ["external"],
    }),
    attribute("title", "string", "The user's title, such as 'Vice President'."),
    attribute("userType", "string", "The relationship between the organization and the user."),
    attribute("preferredLanguage", "string", "The User's preferred written or spoken language."),
    attribute("locale", "string", "The User's default location for localisation."),
    attribute("timezone", "string", "The User's time zone in the 'Olson' format."),
    attribute("active", "boolean", "The User's administrative status."),
    multiValuedAttribute("emails", "Email addresses for the user.", "string", ["work", "home", "other"]),
    multiValuedAttribute("phoneNumbers", "Phone numbers for the User.", "string", [
      "work",
      "home",
      "mobile",
      "fax",
      "pager",
      "other",
    ]),
    multiValuedAttribute("ims", "Instant messaging addresses for the User.", "string", []),
    multiValuedAttribute("photos", "URLs of photos of the User.", "reference", ["photo", "thumbnail"]),
    addresses,
    multiValuedAttribute("entitlements", "A list of entitlements for the User.", "string", []),
    multiValuedAttribute("roles", "A list of roles for the User.", "string", []),
    multiValuedAttribute("x509Certificates", "A list of certificates issued to the User.", "binary", []),
    groups,
  ],
};
