import assert from "node:assert/strict";
import { it } from "node:test";
import { newResourceId } from "../../src/store/resource-id";

it("ids are RFC 9562 version 7 UUIDs that sort in creation order, even within one millisecond", () => {
  const ids = Array.from({ length: 5000 }, () => newResourceId(1_700_000_000_000));
  for (const id of ids.slice(0, 50)) {
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  }
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(ids).size, ids.length);
  assert.equal(ids[0]!.slice(0, 13).replace("-", ""), (1_700_000_000_000).toString(16).padStart(12, "0"));
  // A clock that steps back does not reorder ids.
  const later = newResourceId(1_600_000_000_000);
  assert.ok(later > ids.at(-1)!);
});

it("the random part is fresh for every id, across refills of the random pool", () => {
  // 2,000 ids × 8 random bytes spans several 4 KiB refills; a reused or unrefilled pool repeats tails.
  const tails = Array.from({ length: 2000 }, () => newResourceId().slice(19).replace("-", ""));
  assert.equal(new Set(tails).size, tails.length);
  assert.ok(tails.every((tail) => /^[89ab][0-9a-f]{15}$/.test(tail)));
});
