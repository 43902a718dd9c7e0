/**
 * Behaviours seen in the field rather than in the RFC (entra-scim-wire.md, "More behaviours seen in the
 * field"): each one, answered with a 400, sends objects to escrow and, at scale, the job to quarantine.
 */

import { opName } from "../dialect";
import { createUserBody, ENTERPRISE_USER_SCHEMA, patchBody, type UserFields } from "../entra-bodies";
import type { Check } from "./check";
import { expectStatus, expectThat, isObject } from "./expect";
import { readUser } from "./read-resource";

const PATCH_OK = [200, 204];

/** Entra's default attribute mappings send these on create; a server may store or ignore them. */
function createBodyWithDefaultMappings(fields: UserFields): Record<string, unknown> {
  return {
    ...createUserBody(fields),
    title: "Engineer",
    preferredLanguage: "en-US",
    phoneNumbers: [{ type: "work", value: "+1 425 555 0100" }],
    addresses: [
      {
        type: "work",
        formatted: "1 Microsoft Way, Redmond, WA 98052, US",
        streetAddress: "1 Microsoft Way",
        locality: "Redmond",
        region: "WA",
        postalCode: "98052",
        country: "US",
      },
    ],
    [ENTERPRISE_USER_SCHEMA]: { department: "Research", employeeNumber: "E-7" },
  };
}

export const fieldBehaviourChecks: readonly Check[] = [
  {
    id: "create-user-default-mapping-attributes",
    title: "POST /Users with title, phoneNumbers, addresses, preferredLanguage, department → 201",
    scope: "once",
    async run({ fixtures }) {
      await fixtures.createUser("mappings", {
        what: "create user with Entra's default-mapping attributes",
        body: createBodyWithDefaultMappings,
      });
    },
  },
  {
    id: "update-user-adds-missing-work-email",
    title: 'Replace emails[type eq "work"].value on a user without a work email → the email is added',
    scope: "default",
    async run(ctx) {
      const created = await ctx.fixtures.createUser("no-work-email", {
        body: (fields) => ({
          ...createUserBody(fields),
          emails: [{ type: "home", value: fields.workEmail }],
        }),
      });
      const workEmail = created.fields.workEmail.replace(".mail@", ".work@");
      const exchange = await ctx.client.patchUser(
        created.id,
        patchBody([
          { op: opName(ctx.dialect, "replace"), path: 'emails[type eq "work"].value', value: workEmail },
        ]),
      );
      expectStatus(exchange, PATCH_OK, "replace a work email that does not exist yet");
      const { user, exchange: read } = await readUser(ctx, created.id, "read the user back");
      const emails = Array.isArray(user.emails) ? user.emails.filter(isObject) : [];
      expectThat(
        emails.some((email) => email.type === "work" && email.value === workEmail),
        `after PATCH: expected a work email ${workEmail}, got ${JSON.stringify(user.emails)}`,
        [exchange, read],
      );
    },
  },
  {
    id: "remove-absent-attribute",
    title: "PATCH Remove of an attribute the user does not have → 200/204, not an error",
    scope: "perDialect",
    async run(ctx) {
      const created = await ctx.fixtures.createUser("remove-absent");
      const exchange = await ctx.client.patchUser(
        created.id,
        patchBody([{ op: opName(ctx.dialect, "remove"), path: "title" }]),
      );
      expectStatus(exchange, PATCH_OK, "remove an absent attribute");
    },
  },
  {
    id: "patch-empty-operations",
    title: "PATCH with an empty Operations array → 200/204, nothing changes",
    scope: "once",
    async run(ctx) {
      const created = await ctx.fixtures.createUser("empty-patch");
      const exchange = await ctx.client.patchUser(created.id, patchBody([]));
      expectStatus(exchange, PATCH_OK, "empty PATCH");
      const { user, exchange: read } = await readUser(ctx, created.id, "read the user back");
      expectThat(
        user.userName === created.fields.userName && user.active === true,
        "after an empty PATCH the user changed",
        [exchange, read],
      );
    },
  },
];
