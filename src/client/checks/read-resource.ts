/** GET a test object back after a write, to check what the server actually stored. */
import type { Exchange } from "../scim-connection";
import type { CheckContext } from "./check";
import { expectJsonObject, expectStatus, type JsonObject } from "./expect";

export async function readUser(
  ctx: CheckContext,
  id: string,
  what: string,
): Promise<{ user: JsonObject; exchange: Exchange }> {
  const exchange = await ctx.client.getUser(id);
  expectStatus(exchange, [200], what);
  return { user: expectJsonObject(exchange, what), exchange };
}

export async function readGroup(
  ctx: CheckContext,
  id: string,
  what: string,
  options: { excludeMembers: boolean } = { excludeMembers: false },
): Promise<{ group: JsonObject; exchange: Exchange }> {
  const exchange = await ctx.client.getGroup(id, options);
  expectStatus(exchange, [200], what);
  return { group: expectJsonObject(exchange, what), exchange };
}

/** ids of a group's members as returned by GET /Groups/{id}. */
export function memberIds(group: JsonObject): string[] {
  const members = Array.isArray(group.members) ? group.members : [];
  return members.map((member) => String((member as { value?: unknown }).value)).sort();
}
