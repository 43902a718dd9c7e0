/**
 * Names of everything validate creates: `scimkit-validate-<run id>-…`, so a run's objects are
 * recognisable in a production directory and never collide with real users (`.invalid` is reserved by
 * RFC 2606 and can never be a real mail domain).
 */
import { randomBytes, randomUUID } from "node:crypto";

export const TEST_NAME_PREFIX = "scimkit-validate-";

export class TestNames {
  private sequence = 0;

  constructor(readonly runId: string = randomBytes(4).toString("hex")) {}

  private next(kind: string, label: string): string {
    this.sequence += 1;
    return `${TEST_NAME_PREFIX}${this.runId}-${kind}${this.sequence}-${label}`;
  }

  userName(label: string): string {
    return `${this.next("u", label)}@scimkit.invalid`;
  }

  /** A prefix shared by several users of one check (pagination filters on it with `sw`). */
  sharedPrefix(label: string): string {
    return `${this.next("p", label)}-`;
  }

  groupName(label: string): string {
    return this.next("g", label);
  }

  /** externalId is Entra's objectId: a GUID. */
  guid(): string {
    return randomUUID();
  }
}
