/**
 * Users changed by PATCH in both of Entra's dialects (entra-scim-wire.md, "The two PATCH dialects"):
 * attribute updates, manager, disable ("False" string / false boolean), re-enable. Every write is read
 * back: a 200/204 that changed nothing is the classic silent failure.
 */
import type { Dialect } from "../dialect";
import {
  ENTERPRISE_USER_SCHEMA,
  removeManagerBody,
  setActiveBody,
  setManagerBody,
  updateUserAttributesBody,
} from "../entra-bodies";
import type { Check, CheckContext } from "./check";
import { expectSingleMatch, expectStatus, expectThat, isObject } from "./expect";
import { readUser } from "./read-resource";

const PATCH_OK = [200, 204];

async function updateAttributes(ctx: CheckContext): Promise<void> {
  const created = await ctx.fixtures.createUser("update");
  const changes = {
    workEmail: created.fields.workEmail.replace(".mail@", ".changed@"),
    givenName: "Changed",
    familyName: "Renamed",
    employeeNumber: "E-1042",
  };
  const exchange = await ctx.client.patchUser(created.id, updateUserAttributesBody(ctx.dialect, changes));
  expectStatus(exchange, PATCH_OK, "patch user attributes");
  const { user, exchange: read } = await readUser(ctx, created.id, "read the user back");
  const emails = Array.isArray(user.emails) ? user.emails.filter(isObject) : [];
  const work = emails.filter((email) => email.type === "work");
  expectThat(
    work.length === 1 && work[0].value === changes.workEmail,
    `after PATCH: expected one work email ${changes.workEmail}, got ${JSON.stringify(emails)}`,
    [exchange, read],
  );
  const name = isObject(user.name) ? user.name : {};
  expectThat(
    name.givenName === changes.givenName && name.familyName === changes.familyName,
    `after PATCH: expected name.givenName/familyName Changed/Renamed, got ${JSON.stringify(user.name)}`,
    [exchange, read],
  );
  const enterprise = user[ENTERPRISE_USER_SCHEMA];
  expectThat(
    isObject(enterprise) && enterprise.employeeNumber === changes.employeeNumber,
    `after PATCH: expected ${ENTERPRISE_USER_SCHEMA}.employeeNumber ${changes.employeeNumber}, got ${JSON.stringify(enterprise)}`,
    [exchange, read],
  );
}

/** Disable, then check `active` is the boolean false (not the string we may have sent). */
async function disable(ctx: CheckContext, label: string) {
  const created = await ctx.fixtures.createUser(label);
  const exchange = await ctx.client.patchUser(created.id, setActiveBody(ctx.dialect, false));
  expectStatus(exchange, PATCH_OK, "disable user");
  const { user, exchange: read } = await readUser(ctx, created.id, "read the disabled user back");
  expectThat(
    user.active === false,
    `after disabling: active should be the boolean false, got ${JSON.stringify(user.active)}`,
    [exchange, read],
  );
  return created;
}

function disableCheck(dialect: Dialect): Check["run"] {
  return async (ctx) => {
    expectThat(ctx.dialect === dialect, `internal: disable check scheduled in dialect ${ctx.dialect}`);
    await disable(ctx, "disable");
  };
}

export const userUpdateChecks: readonly Check[] = [
  {
    id: "update-user-value-paths",
    title: 'PATCH Replace per path: emails[type eq "work"].value, name.givenName, enterprise employeeNumber',
    scope: "default",
    run: updateAttributes,
  },
  {
    id: "update-user-pathless",
    title: 'PATCH path-less replace with dotted keys {"name.givenName":…, "urn:…:employeeNumber":…}',
    scope: "aadOptscim062020",
    run: updateAttributes,
  },
  {
    id: "update-user-manager",
    title: "PATCH add then remove the enterprise manager",
    scope: "perDialect",
    async run(ctx) {
      const manager = await ctx.fixtures.createUser("manager");
      const report = await ctx.fixtures.createUser("report");
      const add = await ctx.client.patchUser(report.id, setManagerBody(ctx.dialect, manager.id));
      expectStatus(add, PATCH_OK, "set manager");
      const { user: withManager, exchange: read } = await readUser(ctx, report.id, "read the user back");
      const enterprise = withManager[ENTERPRISE_USER_SCHEMA];
      const managerValue =
        isObject(enterprise) && isObject(enterprise.manager) ? enterprise.manager.value : undefined;
      expectThat(
        managerValue === manager.id,
        `after setting the manager: expected manager.value ${manager.id}, got ${JSON.stringify(enterprise)}`,
        [add, read],
      );
      const remove = await ctx.client.patchUser(report.id, removeManagerBody(ctx.dialect));
      expectStatus(remove, PATCH_OK, "remove manager");
      const { user: without, exchange: readAgain } = await readUser(ctx, report.id, "read the user back");
      const after = without[ENTERPRISE_USER_SCHEMA];
      expectThat(
        !isObject(after) || after.manager === undefined || after.manager === null,
        `after removing the manager: still ${JSON.stringify(after)}`,
        [remove, readAgain],
      );
    },
  },
  {
    id: "disable-user-string-false",
    title: 'PATCH Replace active "False" (string, default dialect) → user inactive',
    scope: "default",
    run: disableCheck("default"),
  },
  {
    id: "disable-user-boolean-false",
    title: "PATCH replace active false (boolean, aadOptscim062020) → user inactive",
    scope: "aadOptscim062020",
    run: disableCheck("aadOptscim062020"),
  },
  {
    id: "inactive-user-still-visible",
    title: "a disabled user is still returned by GET and by userName/externalId filters",
    scope: "perDialect",
    async run(ctx) {
      const user = await disable(ctx, "inactive");
      const byName = await ctx.client.findUserByUserName(user.fields.userName);
      const match = expectSingleMatch(byName, user.id, "match the inactive user by userName");
      expectThat(match.active === false, "inactive user matched by filter shows active true", byName);
      const byExternalId = await ctx.client.findUserByExternalId(user.fields.externalId);
      expectSingleMatch(byExternalId, user.id, "match the inactive user by externalId");
    },
  },
  {
    id: "reenable-user",
    title: 'PATCH active "True"/true after a disable → user active again',
    scope: "perDialect",
    async run(ctx) {
      const user = await disable(ctx, "reenable");
      const exchange = await ctx.client.patchUser(user.id, setActiveBody(ctx.dialect, true));
      expectStatus(exchange, PATCH_OK, "re-enable user");
      const { user: after, exchange: read } = await readUser(ctx, user.id, "read the re-enabled user back");
      expectThat(
        after.active === true,
        `after re-enabling: active should be the boolean true, got ${JSON.stringify(after.active)}`,
        [exchange, read],
      );
    },
  },
];
