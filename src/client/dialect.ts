/**
 * Entra's two PATCH dialects (../shared/docs/entra-scim-wire.md, "The two PATCH dialects"):
 * `default` is what every job sends unless the tenant URL carries `?aadOptscim062020`, which switches
 * to the RFC-compliant `aadOptscim062020`. Provision-on-demand ignores the flag, so a service sees both.
 */
export type Dialect = "default" | "aadOptscim062020";

export const DIALECTS: readonly Dialect[] = ["default", "aadOptscim062020"];

export type PatchOpName = "add" | "replace" | "remove";

/** `Add`/`Replace`/`Remove` in the default dialect, lowercase in aadOptscim062020. */
export function opName(dialect: Dialect, op: PatchOpName): string {
  return dialect === "default" ? op[0].toUpperCase() + op.slice(1) : op;
}

/** `--dialect both` → both, in the order Entra's jobs meet them. */
export function parseDialectOption(value: string): Dialect[] {
  if (value === "both") return [...DIALECTS];
  if (value === "default" || value === "aadOptscim062020") return [value];
  throw new Error(`--dialect must be default, aadOptscim062020 or both (got "${value}")`);
}
