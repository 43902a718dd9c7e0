/**
 * After `pulumi destroy`: is anything of the integration still in the tenant or the subscription?
 * Probes by the ids (and names) the stack reported before it was destroyed, because after destroy the
 * stack has no outputs left to read. Pure over two small probe interfaces, so tests drive it against
 * the Graph simulator and a local ARM stand-in.
 *
 * Why deleted items matter: deleted applications and service principals stay 30 days in
 * /directory/deletedItems and count against a non-admin creator's 250-object quota
 * (../shared/docs/graph-provisioning.md, "Teardown"); when the stack asked to purge, they must be gone.
 */
import { odataStringLiteral } from "./odata-literal";

/** What the stack had, as recorded by its outputs before destroy. */
export interface TeardownTarget {
  readonly stack: string;
  readonly applicationObjectId?: string;
  readonly applicationDisplayName?: string;
  readonly servicePrincipalId?: string;
  /** The stack asked for permanent deletion (purge from deleted items). */
  readonly purgeRequested: boolean;
  readonly trialUsers: readonly { readonly id: string; readonly userPrincipalName?: string }[];
  readonly trialGroups: readonly { readonly id: string; readonly displayName?: string }[];
  readonly resourceGroup?: { readonly subscriptionId: string; readonly name: string };
}

export type LeftoverKind = "application" | "service principal" | "user" | "group" | "resource group";
export type LeftoverLocation = "tenant" | "deleted items" | "subscription";

export interface Leftover {
  readonly location: LeftoverLocation;
  readonly kind: LeftoverKind;
  readonly id: string;
  readonly name?: string;
  /** One command or call that removes it. */
  readonly remove: string;
}

/** Graph reads; `undefined` means 404 (gone). Any other failure must throw: never report "clean" blind. */
export interface DirectoryProbe {
  getObject(path: string): Promise<Record<string, unknown> | undefined>;
  /** A collection read with an OData `$filter`. */
  listObjects(collectionPath: string, filter: string): Promise<readonly Record<string, unknown>[]>;
}

export interface ResourceGroupProbe {
  resourceGroupExists(subscriptionId: string, name: string): Promise<boolean>;
}

export interface TeardownResult {
  readonly stack: string;
  readonly checked: readonly string[];
  readonly leftovers: readonly Leftover[];
}

export async function findLeftovers(
  target: TeardownTarget,
  directory: DirectoryProbe,
  resourceGroups: ResourceGroupProbe | undefined,
): Promise<TeardownResult> {
  const leftovers: Leftover[] = [];
  const checked: string[] = [];
  const seen = new Set<string>();
  const record = (leftover: Leftover) => {
    const key = `${leftover.location}/${leftover.id}`;
    if (seen.has(key)) return;
    seen.add(key);
    leftovers.push(leftover);
  };

  if (target.applicationObjectId) {
    await probeDirectoryObject(directory, {
      kind: "application",
      id: target.applicationObjectId,
      livePath: `/applications/${target.applicationObjectId}`,
      purgeRequested: target.purgeRequested,
      record,
      checked,
    });
  }
  if (target.servicePrincipalId) {
    await probeDirectoryObject(directory, {
      kind: "service principal",
      id: target.servicePrincipalId,
      livePath: `/servicePrincipals/${target.servicePrincipalId}`,
      purgeRequested: target.purgeRequested,
      record,
      checked,
    });
  }
  if (target.applicationDisplayName) {
    // Catches an app a failed `up` created but never recorded: instantiate is not idempotent.
    const name = target.applicationDisplayName;
    const filter = `displayName eq ${odataStringLiteral(name)}`;
    checked.push(`applications named "${name}"`);
    for (const app of await directory.listObjects("/applications", filter)) {
      record(liveLeftover("application", String(app.id), `/applications/${app.id}`, name));
    }
    checked.push(`service principals named "${name}"`);
    for (const servicePrincipal of await directory.listObjects("/servicePrincipals", filter)) {
      const id = String(servicePrincipal.id);
      record(liveLeftover("service principal", id, `/servicePrincipals/${id}`, name));
    }
  }
  for (const user of target.trialUsers) {
    await probeDirectoryObject(directory, {
      kind: "user",
      id: user.id,
      name: user.userPrincipalName,
      livePath: `/users/${user.id}`,
      purgeRequested: target.purgeRequested,
      record,
      checked,
    });
  }
  for (const group of target.trialGroups) {
    await probeDirectoryObject(directory, {
      kind: "group",
      id: group.id,
      name: group.displayName,
      livePath: `/groups/${group.id}`,
      purgeRequested: target.purgeRequested,
      record,
      checked,
    });
  }
  if (target.resourceGroup && resourceGroups) {
    const { subscriptionId, name } = target.resourceGroup;
    checked.push(`resource group ${name}`);
    if (await resourceGroups.resourceGroupExists(subscriptionId, name)) {
      record({
        location: "subscription",
        kind: "resource group",
        id: `/subscriptions/${subscriptionId}/resourceGroups/${name}`,
        name,
        remove: `az group delete --subscription ${subscriptionId} --name ${name} --yes`,
      });
    }
  }
  return { stack: target.stack, checked, leftovers };
}

async function probeDirectoryObject(
  directory: DirectoryProbe,
  probe: {
    kind: LeftoverKind;
    id: string;
    name?: string;
    livePath: string;
    purgeRequested: boolean;
    record: (leftover: Leftover) => void;
    checked: string[];
  },
): Promise<void> {
  probe.checked.push(`${probe.kind} ${probe.id}`);
  const live = await directory.getObject(probe.livePath);
  if (live) {
    const name =
      probe.name ?? stringOrUndefined(live.userPrincipalName) ?? stringOrUndefined(live.displayName);
    probe.record(liveLeftover(probe.kind, probe.id, probe.livePath, name));
    return;
  }
  if (!probe.purgeRequested) return;
  probe.checked.push(`deleted ${probe.kind} ${probe.id}`);
  const deleted = await directory.getObject(`/directory/deletedItems/${probe.id}`);
  if (deleted) {
    probe.record({
      location: "deleted items",
      kind: probe.kind,
      id: probe.id,
      name:
        probe.name ?? stringOrUndefined(deleted.userPrincipalName) ?? stringOrUndefined(deleted.displayName),
      remove: `DELETE /directory/deletedItems/${probe.id}`,
    });
  }
}

function liveLeftover(kind: LeftoverKind, id: string, path: string, name: string | undefined): Leftover {
  return { location: "tenant", kind, id, name, remove: `DELETE ${path}` };
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function renderTeardownText(result: TeardownResult): string {
  if (result.leftovers.length === 0) {
    return `${result.stack}: nothing left (checked ${result.checked.length} item(s))\n`;
  }
  let text = `${result.stack}: ${result.leftovers.length} leftover(s)\n`;
  for (const leftover of result.leftovers) {
    const name = leftover.name ? ` "${leftover.name}"` : "";
    text += `  ${leftover.location.padEnd(14)}${leftover.kind} ${leftover.id}${name}\n`;
    text += `  ${" ".repeat(14)}remove: ${leftover.remove}\n`;
  }
  return text;
}

export function renderTeardownJson(results: readonly TeardownResult[]): string {
  const clean = results.every((result) => result.leftovers.length === 0);
  return `${JSON.stringify({ clean, stacks: results }, null, 2)}\n`;
}
