/**
 * Scoping-filter operator names. Only `EQUALS` is confirmed as an API spelling in public examples; the
 * portal shows IS TRUE, IS NOT NULL, REGEX MATCH, Greater_Than, … So config uses friendly names and
 * they are resolved at deploy time against GET …/schema/filterOperators(), comparing without case,
 * spaces and underscores (../shared/docs/graph-provisioning.md, "Schema shape").
 */
export function normalizeOperatorName(name: string): string {
  return name.replace(/[\s_]+/g, "").toLowerCase();
}

export function resolveOperatorName(friendly: string, offered: readonly string[]): string {
  const wanted = normalizeOperatorName(friendly);
  const match = offered.find((candidate) => normalizeOperatorName(candidate) === wanted);
  if (match === undefined) {
    throw new Error(
      `Scoping filter operator "${friendly}" is not offered by this provisioning job. ` +
        `Use one of: ${offered.join(", ")} (case, spaces and underscores are ignored).`,
    );
  }
  return match;
}
