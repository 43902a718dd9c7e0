/**
 * RFC 7643 §4.2 core Group schema. `members` is kept relationally by the store (never in the document);
 * displayName is unique (the SCIM Validator expects 409 on a duplicate group).
 */
import { attribute, complexAttribute, type SchemaDefinition } from "./attribute";

export const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";

export const groupSchema: SchemaDefinition = {
  id: GROUP_SCHEMA,
  name: "Group",
  description: "Group",
  attributes: [
    attribute("displayName", "string", "A human-readable name for the Group.", {
      required: true,
      uniqueness: "server",
    }),
    complexAttribute(
      "members",
      "A list of members of the Group.",
      [
        attribute("value", "string", "Identifier of the member of this Group.", {
          caseExact: true,
          mutability: "immutable",
        }),
        attribute("$ref", "reference", "The URI of the member resource.", {
          caseExact: true,
          mutability: "immutable",
          referenceTypes: ["User", "Group"],
        }),
        attribute("display", "string", "The userName of a User member, displayName of a Group member.", {
          mutability: "readOnly",
        }),
        attribute("type", "string", "The type of the member.", {
          mutability: "immutable",
          canonicalValues: ["User", "Group"],
        }),
      ],
      { multiValued: true },
    ),
  ],
};
