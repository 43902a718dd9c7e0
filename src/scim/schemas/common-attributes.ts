/**
 * RFC 7643 §3.1 common attributes: part of every resource, defined by no schema. `id` and `meta` are
 * readOnly (server-assigned); `externalId` is the client's identifier, caseExact.
 */
import { type AttributeDefinition, attribute, complexAttribute } from "./attribute";

export const commonAttributes: readonly AttributeDefinition[] = [
  attribute("id", "string", "Unique identifier for the resource, assigned by the service provider.", {
    caseExact: true,
    mutability: "readOnly",
    returned: "always",
    uniqueness: "server",
  }),
  attribute("externalId", "string", "An identifier for the resource as defined by the provisioning client.", {
    caseExact: true,
  }),
  complexAttribute(
    "meta",
    "A complex attribute containing resource metadata.",
    [
      attribute("resourceType", "string", "The name of the resource type of the resource.", {
        caseExact: true,
        mutability: "readOnly",
      }),
      attribute("created", "dateTime", "The date and time the resource was added.", {
        mutability: "readOnly",
      }),
      attribute("lastModified", "dateTime", "The most recent date and time the resource was modified.", {
        mutability: "readOnly",
      }),
      attribute("location", "reference", "The URI of the resource being returned.", {
        caseExact: true,
        mutability: "readOnly",
        referenceTypes: ["uri"],
      }),
      attribute("version", "string", "The version (ETag) of the resource being returned.", {
        caseExact: true,
        mutability: "readOnly",
      }),
    ],
    { mutability: "readOnly" },
  ),
];
