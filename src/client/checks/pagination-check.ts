/**
 * RFC 7644 §3.4.2.4 pagination: startIndex is 1-based, count is the page size, both are echoed, and
 * totalResults is the full match count. Runs over three users sharing a run-specific userName prefix
 * (filter `sw`), so it never lists anybody else's users.
 */
import type { Check } from "./check";
import { expectListResponse, expectThat, type JsonObject } from "./expect";

export const paginationCheck: Check = {
  id: "pagination",
  title: "startIndex/count pages through a filter; totalResults counts all matches",
  scope: "once",
  async run(ctx) {
    const prefix = ctx.names.sharedPrefix("page");
    const created: string[] = [];
    for (let index = 1; index <= 3; index += 1) {
      const user = await ctx.fixtures.createUser(`page${index}`, {
        fields: { userName: `${prefix}${index}@scimkit.invalid` },
      });
      created.push(user.id);
    }
    const filter = `userName sw "${prefix}"`;
    const seen: string[] = [];
    for (const startIndex of [1, 3]) {
      const exchange = await ctx.client.findUsersPage(filter, startIndex, 2);
      const what = `page startIndex=${startIndex}&count=2`;
      const { total, resources } = expectListResponse(exchange, what);
      const body = exchange.response?.body as JsonObject;
      const expectedSize = startIndex === 1 ? 2 : 1;
      expectThat(total === 3, `${what}: totalResults should be 3 (all matches), got ${total}`, exchange);
      expectThat(
        resources.length === expectedSize,
        `${what}: expected ${expectedSize} resources, got ${resources.length}`,
        exchange,
      );
      expectThat(body.startIndex === startIndex, `${what}: startIndex should echo ${startIndex}`, exchange);
      expectThat(
        body.itemsPerPage === resources.length,
        `${what}: itemsPerPage should be ${resources.length}, got ${JSON.stringify(body.itemsPerPage)}`,
        exchange,
      );
      seen.push(...resources.map((resource) => String(resource.id)));
    }
    expectThat(
      JSON.stringify([...seen].sort()) === JSON.stringify([...created].sort()),
      `the two pages should together hold the 3 users exactly once, got ${seen.join(", ")}`,
    );
  },
};
