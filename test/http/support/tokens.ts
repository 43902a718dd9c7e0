/** Bearer tokens for tests: strong enough for the config rules, obviously fake. */
import { randomBytes } from "node:crypto";

export function testToken(): string {
  return randomBytes(32).toString("base64url");
}
