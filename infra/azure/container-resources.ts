/**
 * CPU and memory combinations Azure Container Apps accepts for a container on the Consumption profile
 * (Microsoft Learn, "Containers in Azure Container Apps" → allocations): vCPU in steps of 0.25 from
 * 0.25 to 4, with memory exactly twice the vCPU count in GiB.
 */
export const VALID_CPU_MEMORY_PAIRS: ReadonlyArray<readonly [cpu: number, memory: string]> = Array.from(
  { length: 16 },
  (_, index) => {
    const cpu = (index + 1) * 0.25;
    return [cpu, `${cpu * 2}Gi`] as const;
  },
);

/** Returns an error message when the pair is not allowed, listing the valid ones. */
export function checkCpuMemoryPair(cpu: number, memory: string): string | undefined {
  if (VALID_CPU_MEMORY_PAIRS.some(([validCpu, validMemory]) => validCpu === cpu && validMemory === memory)) {
    return undefined;
  }
  const allowed = VALID_CPU_MEMORY_PAIRS.slice(0, 4)
    .map(([validCpu, validMemory]) => `${validCpu}/${validMemory}`)
    .join(", ");
  return `cpu ${cpu} with memory ${memory} is not a valid Container Apps size; use one of ${allowed}, … up to 4/8Gi (memory = 2 × cpu)`;
}
