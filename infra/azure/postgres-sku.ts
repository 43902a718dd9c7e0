/**
 * PostgreSQL flexible server compute sizes name their tier by family letter (Microsoft Learn, "Compute
 * options in Azure Database for PostgreSQL"): Standard_B… Burstable, Standard_D… General Purpose,
 * Standard_E… Memory Optimized. ARM needs both, and rejects a mismatched pair.
 */
export type PostgresTier = "Burstable" | "GeneralPurpose" | "MemoryOptimized";

const TIER_BY_FAMILY: Readonly<Record<string, PostgresTier>> = {
  B: "Burstable",
  D: "GeneralPurpose",
  E: "MemoryOptimized",
};

/** The tier of a compute size, or undefined when the name is not a flexible server size. */
export function postgresTierFor(skuName: string): PostgresTier | undefined {
  const family = /^Standard_([BDE])\d/.exec(skuName)?.[1];
  return family === undefined ? undefined : TIER_BY_FAMILY[family];
}
