/**
 * RFC 7643 §5–§7 discovery documents: /ServiceProviderConfig, /ResourceTypes, /Schemas. Built from the
 * same definitions the service uses, so what is advertised is what is enforced.
 */
import type { JsonObject } from "../resource/coerce";
import type { SchemaDefinition } from "./attribute";
import { allSchemas, type ResourceTypeDefinition, resourceTypes } from "./resource-types";

export const SERVICE_PROVIDER_CONFIG_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
export const RESOURCE_TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
export const SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema";

export function serviceProviderConfig(baseUrl: string, maxResults: number): JsonObject {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
    documentationUri:
      "https://learn.microsoft.com/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups",
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: "oauthbearertoken",
        name: "OAuth Bearer Token",
        description: "Authentication with a bearer token in the Authorization header (Entra's Secret Token).",
        specUri: "https://www.rfc-editor.org/info/rfc6750",
        primary: true,
      },
    ],
    meta: { resourceType: "ServiceProviderConfig", location: `${baseUrl}/ServiceProviderConfig` },
  };
}

export function resourceTypeResource(resourceType: ResourceTypeDefinition, baseUrl: string): JsonObject {
  return {
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: resourceType.name,
    name: resourceType.name,
    endpoint: resourceType.endpoint,
    description: resourceType.description,
    schema: resourceType.schema.id,
    schemaExtensions: resourceType.extensions.map(({ schema, required }) => ({
      schema: schema.id,
      required,
    })),
    meta: { resourceType: "ResourceType", location: `${baseUrl}/ResourceTypes/${resourceType.name}` },
  };
}

export function schemaResource(schema: SchemaDefinition, baseUrl: string): JsonObject {
  return {
    schemas: [SCHEMA_SCHEMA],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes,
    meta: { resourceType: "Schema", location: `${baseUrl}/Schemas/${schema.id}` },
  };
}

export function findResourceTypeById(id: string): ResourceTypeDefinition | undefined {
  return resourceTypes.find((resourceType) => resourceType.name.toLowerCase() === id.toLowerCase());
}

export function findSchemaById(id: string): SchemaDefinition | undefined {
  return allSchemas.find((schema) => schema.id.toLowerCase() === id.toLowerCase());
}
