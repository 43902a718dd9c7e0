/**
 * Test Connection: what Entra sends when an admin clicks "Test Connection" and at the start of every
 * cycle. A 404 or error here quarantines the job (entra-scim-wire.md, first table row).
 */
import type { Check } from "./check";
import { expectListResponse, expectThat, responseOf } from "./expect";

function emptyListResponse(resource: "Users" | "Groups"): Check["run"] {
  return async ({ client, names }) => {
    const exchange =
      resource === "Users"
        ? await client.testConnectionUsers(names.guid())
        : await client.testConnectionGroups(names.guid());
    const what = `filter on a random GUID at /${resource}`;
    const { total, resources } = expectListResponse(exchange, what);
    expectThat(
      total === 0 && resources.length === 0,
      `${what}: expected an empty ListResponse, got totalResults ${total}`,
      exchange,
    );
  };
}

export const connectionChecks: readonly Check[] = [
  {
    id: "test-connection-users",
    title: 'GET /Users?filter=userName eq "<random guid>" → 200 empty ListResponse',
    scope: "once",
    run: emptyListResponse("Users"),
  },
  {
    id: "test-connection-groups",
    title: 'GET /Groups?filter=displayName eq "<random guid>" → 200 empty ListResponse',
    scope: "once",
    run: emptyListResponse("Groups"),
  },
  {
    id: "response-content-type",
    title: "responses are Content-Type application/scim+json",
    scope: "once",
    async run({ client, names }) {
      const exchange = await client.testConnectionUsers(names.guid());
      const contentType = responseOf(exchange, "Test Connection").headers["content-type"] ?? "";
      expectThat(
        contentType.toLowerCase().startsWith("application/scim+json"),
        `expected Content-Type application/scim+json, got "${contentType}"`,
        exchange,
      );
    },
  },
];
