/**
 * Scoping filters → Graph `filter`: `groups` are ORed, the `clauses` of a group are ANDed
 * (../shared/docs/graph-provisioning.md, "Schema shape"; Learn "Scoping filters").
 */
import type { ScopingFilterSpec } from "./mapping-types";

export interface GraphFilter {
  categoryFilterGroups: unknown[];
  groups: Array<{
    name: string;
    clauses: Array<{ operatorName: string; sourceOperandName: string; targetOperand: { values: string[] } }>;
  }>;
  inputFilterGroups: unknown[];
}

/** `null` (no scoping filter: everything assigned/in scope) when no filter is declared. */
export function buildScopingFilter(
  filters: readonly ScopingFilterSpec[],
  resolveOperator: (friendly: string) => string,
): GraphFilter | null {
  if (filters.length === 0) return null;
  return {
    categoryFilterGroups: [],
    groups: filters.map((filter, index) => ({
      name: filter.name ?? `scimkit filter ${index + 1}`,
      clauses: filter.clauses.map((clause) => ({
        operatorName: resolveOperator(clause.operator),
        sourceOperandName: clause.attribute,
        targetOperand: { values: [...(clause.values ?? [])] },
      })),
    })),
    inputFilterGroups: [],
  };
}
