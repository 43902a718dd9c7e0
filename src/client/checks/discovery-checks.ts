/**
 * RFC 7644 §4 discovery endpoints. Entra's gallery onboarding and the SCIM Validator read them.
 */
import { GROUP_SCHEMA, USER_SCHEMA } from "../entra-bodies";
import type { Check } from "./check";
import { expectJsonObject, expectListResponse, expectStatus, expectThat, isObject } from "./expect";

const SERVICE_PROVIDER_CONFIG_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";

export const discoveryChecks: readonly Check[] = [
  {
    id: "discovery-service-provider-config",
    title: "GET /ServiceProviderConfig → 200, patch and filter supported",
    scope: "once",
    async run({ client }) {
      const exchange = await client.connection.send("GET", "/ServiceProviderConfig");
      expectStatus(exchange, [200], "service provider config");
      const config = expectJsonObject(exchange, "service provider config");
      expectThat(
        Array.isArray(config.schemas) && config.schemas.includes(SERVICE_PROVIDER_CONFIG_SCHEMA),
        `service provider config: schemas must contain ${SERVICE_PROVIDER_CONFIG_SCHEMA}`,
        exchange,
      );
      expectThat(
        isObject(config.patch) && config.patch.supported === true,
        "service provider config: patch.supported must be true (Entra updates by PATCH only)",
        exchange,
      );
      expectThat(
        isObject(config.filter) && config.filter.supported === true,
        "service provider config: filter.supported must be true (Entra matches by filter)",
        exchange,
      );
    },
  },
  {
    id: "discovery-schemas",
    title: "GET /Schemas → ListResponse with the User and Group schemas",
    scope: "once",
    async run({ client }) {
      const exchange = await client.connection.send("GET", "/Schemas");
      const { resources } = expectListResponse(exchange, "schemas");
      const ids = resources.map((schema) => schema.id);
      for (const required of [USER_SCHEMA, GROUP_SCHEMA]) {
        expectThat(ids.includes(required), `schemas: ${required} is missing`, exchange);
      }
    },
  },
  {
    id: "discovery-resource-types",
    title: "GET /ResourceTypes → ListResponse with User and Group",
    scope: "once",
    async run({ client }) {
      const exchange = await client.connection.send("GET", "/ResourceTypes");
      const { resources } = expectListResponse(exchange, "resource types");
      const names = resources.map((type) => type.name);
      for (const required of ["User", "Group"]) {
        expectThat(names.includes(required), `resource types: ${required} is missing`, exchange);
      }
    },
  },
];
