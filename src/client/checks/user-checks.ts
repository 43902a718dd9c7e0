/**
 * Users: create, read, match, delete, as Entra's initial and incremental cycles do them.
 * Matching by userName must be case-insensitive (RFC 7643 §4.1.1 userName caseExact=false).
 */
import { createUserBodyFromOlderTenant, USER_SCHEMA } from "../entra-bodies";
import type { Check } from "./check";
import {
  expectJsonObject,
  expectListResponse,
  expectScimError,
  expectSingleMatch,
  expectStatus,
  expectThat,
  isObject,
} from "./expect";

export const userChecks: readonly Check[] = [
  {
    id: "create-user",
    title: "POST /Users with Entra's body → 201 with id, meta and the attributes sent",
    scope: "once",
    async run({ fixtures }) {
      const { exchange, fields } = await fixtures.createUser("create", { what: "create user" });
      const user = expectJsonObject(exchange, "create user");
      expectThat(
        Array.isArray(user.schemas) && user.schemas.includes(USER_SCHEMA),
        `create user: schemas must contain ${USER_SCHEMA}`,
        exchange,
      );
      expectThat(
        String(user.userName).toLowerCase() === fields.userName.toLowerCase(),
        `create user: userName should be "${fields.userName}", got ${JSON.stringify(user.userName)}`,
        exchange,
      );
      expectThat(
        user.externalId === fields.externalId,
        "create user: externalId not returned as sent",
        exchange,
      );
      expectThat(user.active === true, "create user: active should be the boolean true", exchange);
      expectThat(
        isObject(user.meta) && typeof user.meta.resourceType === "string",
        "create user: meta with resourceType expected (RFC 7643 §3.1)",
        exchange,
      );
    },
  },
  {
    id: "create-user-older-tenant-body",
    title: "POST /Users with explicit nulls and the malformed enterprise URN older tenants send → 201",
    scope: "once",
    async run({ fixtures }) {
      await fixtures.createUser("older-tenant", {
        what: "create user with nulls and urn:…:enterprise:2.0User",
        body: createUserBodyFromOlderTenant,
      });
    },
  },
  {
    id: "get-user",
    title: "GET /Users/{id} → 200 with the user",
    scope: "once",
    async run(ctx) {
      const created = await ctx.fixtures.createUser("get");
      const exchange = await ctx.client.getUser(created.id);
      expectStatus(exchange, [200], "get user by id");
      const user = expectJsonObject(exchange, "get user by id");
      expectThat(user.id === created.id, "get user by id: returned a different id", exchange);
    },
  },
  {
    id: "match-user-by-username",
    title: 'GET /Users?filter=userName eq "<userName>" → exactly that user',
    scope: "once",
    async run({ client, fixtures }) {
      const created = await fixtures.createUser("match");
      const exchange = await client.findUserByUserName(created.fields.userName);
      expectSingleMatch(exchange, created.id, "match user by userName");
    },
  },
  {
    id: "match-user-by-username-other-case",
    title: "userName filter in different letter case → the same user (case-insensitive)",
    scope: "once",
    async run({ client, fixtures }) {
      const created = await fixtures.createUser("match-case");
      const exchange = await client.findUserByUserName(created.fields.userName.toUpperCase());
      expectSingleMatch(exchange, created.id, "match user by upper-cased userName");
    },
  },
  {
    id: "match-user-by-externalid",
    title: 'GET /Users?filter=externalId eq "<objectId>" → exactly that user',
    scope: "once",
    async run({ client, fixtures }) {
      const created = await fixtures.createUser("match-externalid");
      const exchange = await client.findUserByExternalId(created.fields.externalId);
      expectSingleMatch(exchange, created.id, "match user by externalId");
    },
  },
  {
    id: "delete-user",
    title: "DELETE /Users/{id} → 204, then GET → 404 and filters find nothing",
    scope: "once",
    async run(ctx) {
      const created = await ctx.fixtures.createUser("delete");
      const deletion = await ctx.client.deleteUser(created.id);
      expectStatus(deletion, [204], "delete user");
      expectScimError(await ctx.client.getUser(created.id), 404, "get deleted user");
      const search = await ctx.client.findUserByUserName(created.fields.userName);
      const { total } = expectListResponse(search, "filter for the deleted user");
      expectThat(total === 0, `filter for the deleted user: still finds ${total}`, search);
    },
  },
];
