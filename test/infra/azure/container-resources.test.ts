import assert from "node:assert/strict";
import { test } from "node:test";
import { checkCpuMemoryPair, VALID_CPU_MEMORY_PAIRS } from "../../../infra/azure/container-resources";

test("the Consumption profile pairs run from 0.25/0.5Gi to 4/8Gi", () => {
  assert.equal(VALID_CPU_MEMORY_PAIRS.length, 16);
  assert.deepEqual(VALID_CPU_MEMORY_PAIRS[0], [0.25, "0.5Gi"]);
  assert.deepEqual(VALID_CPU_MEMORY_PAIRS[15], [4, "8Gi"]);
  for (const [cpu, memory] of VALID_CPU_MEMORY_PAIRS)
    assert.equal(checkCpuMemoryPair(cpu, memory), undefined);
});

test("other combinations are refused with the valid ones listed", () => {
  assert.match(
    checkCpuMemoryPair(0.25, "1Gi") as string,
    /not a valid Container Apps size; use one of 0\.25\/0\.5Gi, 0\.5\/1Gi/,
  );
  assert.ok(checkCpuMemoryPair(0.3, "0.6Gi"));
  assert.ok(checkCpuMemoryPair(4.25, "8.5Gi"));
  assert.ok(checkCpuMemoryPair(1, "2.0Gi"), "memory must be written the way Azure normalises it");
});
