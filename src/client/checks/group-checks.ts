/**
 * Groups as Entra provisions them: created empty (with the non-standard ADSCIM schema URI), matched by
 * displayName with `excludedAttributes=members`, renamed, and members added/removed by PATCH. Removal
 * must remove ONLY the listed members: naive handlers of the legacy form wiped whole groups
 * (entra-scim-wire.md, "remove one member").
 */
import { opName } from "../dialect";
import { addMembersBody, GROUP_SCHEMA, patchBody, removeMembersBody, renameGroupBody } from "../entra-bodies";
import type { Check, CheckContext } from "./check";
import { expectJsonObject, expectScimError, expectSingleMatch, expectStatus, expectThat } from "./expect";
import { memberIds, readGroup } from "./read-resource";

/** 204 is what Entra expects for group PATCH; 200 is tolerated. */
const GROUP_PATCH_OK = [204, 200];

async function groupWithMembers(ctx: CheckContext, label: string, memberCount: number) {
  const users = [];
  for (let index = 0; index < memberCount; index += 1) {
    users.push(await ctx.fixtures.createUser(`${label}-member${index + 1}`));
  }
  const group = await ctx.fixtures.createGroup(label);
  const ids = users.map((user) => user.id);
  const add = await ctx.client.patchGroup(group.id, addMembersBody(ctx.dialect, ids));
  expectStatus(add, GROUP_PATCH_OK, "add members");
  return { group, ids, add };
}

function removeOneMember(what: string): Check["run"] {
  return async (ctx) => {
    const { group, ids } = await groupWithMembers(ctx, "remove", 3);
    const [kept1, removed, kept2] = ids;
    const exchange = await ctx.client.patchGroup(group.id, removeMembersBody(ctx.dialect, [removed]));
    expectStatus(exchange, GROUP_PATCH_OK, what);
    const { group: after, exchange: read } = await readGroup(ctx, group.id, "read the group back");
    const expected = [kept1, kept2].sort();
    const actual = memberIds(after);
    expectThat(
      JSON.stringify(actual) === JSON.stringify(expected),
      `after removing 1 of 3 members: expected the other 2 to stay (${expected.join(", ")}), got [${actual.join(", ")}]`,
      [exchange, read],
    );
  };
}

export const groupChecks: readonly Check[] = [
  {
    id: "create-group",
    title: "POST /Groups with the ADSCIM schema URI → 201 with id and no members",
    scope: "once",
    async run({ fixtures }) {
      const { exchange, displayName } = await fixtures.createGroup("create", { what: "create group" });
      const group = expectJsonObject(exchange, "create group");
      expectThat(
        Array.isArray(group.schemas) && group.schemas.includes(GROUP_SCHEMA),
        `create group: schemas must contain ${GROUP_SCHEMA}`,
        exchange,
      );
      expectThat(
        group.displayName === displayName,
        "create group: displayName not returned as sent",
        exchange,
      );
      expectThat(
        group.members === undefined || (Array.isArray(group.members) && group.members.length === 0),
        "create group: a new group must have no members",
        exchange,
      );
    },
  },
  {
    id: "get-group-excluding-members",
    title: "GET /Groups/{id}?excludedAttributes=members → 200 without a members key",
    scope: "once",
    async run(ctx) {
      const { group } = await groupWithMembers(ctx, "get", 1);
      const { group: read, exchange } = await readGroup(ctx, group.id, "get group excluding members", {
        excludeMembers: true,
      });
      expectThat(read.id === group.id, "get group: returned a different id", exchange);
      expectThat(
        !("members" in read),
        "excludedAttributes=members: the response still has members",
        exchange,
      );
    },
  },
  {
    id: "match-group-by-displayname",
    title: 'GET /Groups?excludedAttributes=members&filter=displayName eq "…" → that group, no members',
    scope: "once",
    async run(ctx) {
      const { group } = await groupWithMembers(ctx, "match", 1);
      const exchange = await ctx.client.findGroupByDisplayName(group.displayName);
      const match = expectSingleMatch(exchange, group.id, "match group by displayName");
      expectThat(!("members" in match), "excludedAttributes=members: the match still has members", exchange);
    },
  },
  {
    id: "match-group-by-displayname-other-case",
    title: "displayName filter in different letter case → the same group",
    scope: "once",
    async run(ctx) {
      const group = await ctx.fixtures.createGroup("match-case");
      const exchange = await ctx.client.findGroupByDisplayName(group.displayName.toUpperCase());
      expectSingleMatch(exchange, group.id, "match group by upper-cased displayName");
    },
  },
  {
    id: "rename-group",
    title: "PATCH Replace displayName → 204, new name stored",
    scope: "perDialect",
    async run(ctx) {
      const group = await ctx.fixtures.createGroup("rename");
      const newName = `${group.displayName}-renamed`;
      ctx.fixtures.renamed(group.id, newName);
      const exchange = await ctx.client.patchGroup(group.id, renameGroupBody(ctx.dialect, newName));
      expectStatus(exchange, GROUP_PATCH_OK, "rename group");
      const { group: after, exchange: read } = await readGroup(ctx, group.id, "read the group back", {
        excludeMembers: true,
      });
      expectThat(
        after.displayName === newName,
        `after rename: expected displayName "${newName}", got ${JSON.stringify(after.displayName)}`,
        [exchange, read],
      );
    },
  },
  {
    id: "rename-group-pathless",
    title: 'PATCH path-less replace {"displayName": …} → new name stored',
    scope: "perDialect",
    async run(ctx) {
      const group = await ctx.fixtures.createGroup("rename-pathless");
      const newName = `${group.displayName}-renamed`;
      ctx.fixtures.renamed(group.id, newName);
      const exchange = await ctx.client.patchGroup(
        group.id,
        patchBody([{ op: opName(ctx.dialect, "replace"), value: { displayName: newName } }]),
      );
      expectStatus(exchange, GROUP_PATCH_OK, "path-less rename");
      const { group: after, exchange: read } = await readGroup(ctx, group.id, "read the group back", {
        excludeMembers: true,
      });
      expectThat(
        after.displayName === newName,
        `after path-less rename: expected displayName "${newName}", got ${JSON.stringify(after.displayName)}`,
        [exchange, read],
      );
    },
  },
  {
    id: "add-group-members",
    title: 'PATCH Add members [{"$ref":null,"value":id},…] → 204, both members stored',
    scope: "perDialect",
    async run(ctx) {
      const { group, ids, add } = await groupWithMembers(ctx, "add", 2);
      const { group: after, exchange: read } = await readGroup(ctx, group.id, "read the group back");
      const actual = memberIds(after);
      expectThat(
        JSON.stringify(actual) === JSON.stringify([...ids].sort()),
        `after adding 2 members: expected [${[...ids].sort().join(", ")}], got [${actual.join(", ")}]`,
        [add, read],
      );
    },
  },
  {
    id: "remove-group-member-legacy",
    title: 'PATCH Remove path "members" value [{"value":id}] → only that member removed',
    scope: "default",
    run: removeOneMember("legacy member removal"),
  },
  {
    id: "remove-group-member-by-filter",
    title: 'PATCH remove path members[value eq "id"] → only that member removed',
    scope: "aadOptscim062020",
    run: removeOneMember("member removal by value filter"),
  },
  {
    id: "delete-group",
    title: "DELETE /Groups/{id} → 204, then GET → 404",
    scope: "once",
    async run(ctx) {
      const group = await ctx.fixtures.createGroup("delete");
      expectStatus(await ctx.client.deleteGroup(group.id), [204], "delete group");
      expectScimError(
        await ctx.client.getGroup(group.id, { excludeMembers: true }),
        404,
        "get deleted group",
      );
    },
  },
];
