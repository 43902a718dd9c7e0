/**
 * What a validation check is. Each check is self-contained: it creates its own test objects through
 * `ctx.fixtures` (deleted after the check, whatever happened), so `--only` can run any one of them.
 */
import type { Dialect } from "../dialect";
import type { EntraClient } from "../entra-client";
import type { Exchange } from "../scim-connection";
import type { Fixtures } from "./fixtures";
import type { TestNames } from "./test-names";

export interface CheckContext {
  readonly client: EntraClient;
  readonly dialect: Dialect;
  readonly names: TestNames;
  readonly fixtures: Fixtures;
}

/**
 * Where a check runs: `once` (requests identical in both dialects: discovery, errors, matching),
 * `perDialect` (PATCH bodies differ per dialect), or only in one dialect (the form exists only there).
 */
export type CheckScope = "once" | "perDialect" | Dialect;

export interface Check {
  /** Stable kebab-case id, used by `--only` and in reports. */
  readonly id: string;
  /** One line: what Entra does and what it expects back. */
  readonly title: string;
  readonly scope: CheckScope;
  run(ctx: CheckContext): Promise<void>;
}

/**
 * A check's verdict with the exchanges that disproved it (shown to the user, token redacted): the
 * failing request, or the write and the read that shows the write did not take effect.
 */
export class CheckFailure extends Error {
  readonly exchanges: readonly Exchange[];

  constructor(message: string, exchange?: Exchange | readonly Exchange[]) {
    super(message);
    this.name = "CheckFailure";
    this.exchanges =
      exchange === undefined ? [] : Array.isArray(exchange) ? exchange : [exchange as Exchange];
  }
}
