/**
 * Resource ids: UUID version 7 (RFC 9562 §5.7), monotonic within the process (§6.2 method 1: the
 * 12-bit rand_a field counts ids made in the same millisecond). Lists are ordered by
 * (created, id), so resources created in the same millisecond still list in creation order, and the
 * primary-key index grows at its right edge instead of at random places.
 */
import { randomFillSync } from "node:crypto";

let lastMilliseconds = 0;
let counter = 0;

/**
 * Random bytes are drawn from a pool refilled 4 KiB at a time (what node's own randomUUID does): one
 * randomBytes call per id cost ~11 µs per create in the service under load. Bytes are consumed once and
 * never reused; the pool lives only in this process's memory.
 */
const RANDOM_BYTES_PER_ID = 8;
const randomPool = Buffer.alloc(4096);
let randomPoolOffset = randomPool.length;
const idBytes = Buffer.alloc(16);

function takeRandomBytes(target: Buffer, targetOffset: number): void {
  if (randomPoolOffset + RANDOM_BYTES_PER_ID > randomPool.length) {
    randomFillSync(randomPool);
    randomPoolOffset = 0;
  }
  randomPool.copy(target, targetOffset, randomPoolOffset, randomPoolOffset + RANDOM_BYTES_PER_ID);
  randomPoolOffset += RANDOM_BYTES_PER_ID;
}

export function newResourceId(now: number = Date.now()): string {
  let milliseconds = Math.max(now, lastMilliseconds);
  if (milliseconds === lastMilliseconds) {
    counter += 1;
    if (counter > 0xfff) {
      // 4,096 ids in one millisecond: borrow the next millisecond (RFC 9562 §6.2, counter rollover).
      milliseconds += 1;
      counter = 0;
    }
  } else {
    counter = 0;
  }
  lastMilliseconds = milliseconds;

  // Bytes 0–5: unix_ts_ms; 6–7: version and the 12-bit counter; 8–15: variant and 62 random bits.
  const bytes = idBytes;
  bytes.writeUIntBE(milliseconds, 0, 6);
  takeRandomBytes(bytes, 8);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
