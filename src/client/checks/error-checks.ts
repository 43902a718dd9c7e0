/**
 * Errors Entra relies on: 409 uniqueness on duplicates (it then matches instead of creating), 404 with
 * an RFC 7644 §3.12 body for unknown ids, 401 for a bad token (an expired token quarantines the job).
 */
import { randomUUID } from "node:crypto";
import { createGroupBody, createUserBody } from "../entra-bodies";
import type { Check } from "./check";
import { expectScimError, expectThat, isObject } from "./expect";

export const errorChecks: readonly Check[] = [
  {
    id: "duplicate-user-conflict",
    title: 'POST /Users with a taken userName → 409 scimType "uniqueness"',
    scope: "once",
    async run({ client, fixtures }) {
      const { fields } = await fixtures.createUser("duplicate");
      const exchange = await client.createUser(createUserBody({ ...fields, externalId: randomUUID() }));
      const body = exchange.response?.body;
      if (exchange.response?.status === 201 && isObject(body) && typeof body.id === "string") {
        fixtures.track("User", fields.userName, body.id); // the server accepted the duplicate: clean it up too
      }
      const error = expectScimError(exchange, 409, "create duplicate user");
      expectThat(
        error.scimType === "uniqueness",
        'duplicate user: scimType should be "uniqueness"',
        exchange,
      );
    },
  },
  {
    id: "duplicate-group-conflict",
    title: 'POST /Groups with a taken displayName → 409 scimType "uniqueness"',
    scope: "once",
    async run({ client, fixtures }) {
      const group = await fixtures.createGroup("duplicate");
      const exchange = await client.createGroup(createGroupBody(group.displayName, randomUUID()));
      const body = exchange.response?.body;
      if (exchange.response?.status === 201 && isObject(body) && typeof body.id === "string") {
        fixtures.track("Group", group.displayName, body.id);
      }
      const error = expectScimError(exchange, 409, "create duplicate group");
      expectThat(
        error.scimType === "uniqueness",
        'duplicate group: scimType should be "uniqueness"',
        exchange,
      );
    },
  },
  {
    id: "unknown-id-not-found",
    title: 'GET /Users/{unknown} and /Groups/{unknown} → 404 with a SCIM error body, status "404"',
    scope: "once",
    async run({ client, names }) {
      expectScimError(await client.getUser(names.guid()), 404, "get unknown user");
      expectScimError(
        await client.getGroup(names.guid(), { excludeMembers: true }),
        404,
        "get unknown group",
      );
    },
  },
  {
    id: "invalid-filter-rejected",
    title: 'a malformed filter → 400 scimType "invalidFilter", never a 5xx',
    scope: "once",
    async run({ client }) {
      const exchange = await client.connection.send("GET", "/Users", {
        query: [["filter", 'userName eq "unterminated']],
      });
      const error = expectScimError(exchange, 400, "malformed filter");
      expectThat(
        error.scimType === "invalidFilter",
        'malformed filter: scimType should be "invalidFilter"',
        exchange,
      );
    },
  },
  {
    id: "bad-token-unauthorized",
    title: "a wrong or missing bearer token → 401 with a SCIM error body",
    scope: "once",
    async run({ client, names }) {
      const wrongToken = `scimkit-validate-wrong-token-${names.guid()}`;
      const filter = `userName eq "${names.guid()}"`;
      const wrong = await client.connection.send("GET", "/Users", {
        query: [["filter", filter]],
        token: wrongToken,
      });
      expectScimError(wrong, 401, "request with a wrong token");
      const missing = await client.connection.send("GET", "/Users", {
        query: [["filter", filter]],
        token: null,
      });
      expectScimError(missing, 401, "request without Authorization");
    },
  },
];
