import * as pulumi from "@pulumi/pulumi";

/**
 * Typed, validating access to one config namespace that collects every problem instead of stopping at
 * the first, so `pulumi up` reports all bad keys at once. Each message names the full key
 * (`scimkit:maxReplicas`) and says how to fix it; values of secret keys are never echoed.
 */
export class ConfigReader {
  private readonly problems: string[] = [];

  constructor(
    private readonly config: pulumi.Config,
    private readonly isSecretKey: (fullKey: string) => boolean = isConfigKeySecret,
  ) {}

  /** The namespaced key as the user types it in `pulumi config set`. */
  key(name: string): string {
    return `${this.config.name}:${name}`;
  }

  /** Records a problem about `name`; the message continues after "scimkit:<name> ". */
  fail(name: string, message: string): void {
    this.problems.push(`${this.key(name)} ${message}`);
  }

  /**
   * The raw value, with "" meaning unset: Pulumi.yaml declares optional keys with `default: ""`, because
   * a typed key without a default is required by every stack.
   */
  private raw(name: string): string | undefined {
    const value = this.config.get(name);
    return value === undefined || value.trim() === "" ? undefined : value;
  }

  has(name: string): boolean {
    return this.raw(name) !== undefined;
  }

  string(name: string, fallback: string): string;
  string(name: string): string | undefined;
  string(name: string, fallback?: string): string | undefined {
    return this.raw(name)?.trim() ?? fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.string(name, fallback);
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.fail(name, `must be one of ${allowed.join(", ")} (got "${value}")`);
    return fallback;
  }

  integer(name: string, range: { min: number; max: number }, fallback: number): number {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value)) {
      this.fail(name, `must be a whole number between ${range.min} and ${range.max} (got "${raw}")`);
      return fallback;
    }
    if (value < range.min || value > range.max) {
      this.fail(name, `must be between ${range.min} and ${range.max} (got ${value})`);
      return fallback;
    }
    return value;
  }

  number(name: string, fallback: number): number {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value)) {
      this.fail(name, `must be a number (got "${raw}")`);
      return fallback;
    }
    return value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    if (raw === "true") return true;
    if (raw === "false") return false;
    this.fail(name, `must be true or false (got "${raw}")`);
    return fallback;
  }

  /** A YAML list in the stack file, e.g. `scimkit:allowedIpRanges: ["203.0.113.0/24"]`. */
  stringList(name: string): string[] {
    const raw = this.raw(name);
    if (raw === undefined) return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === "string")) {
      this.fail(
        name,
        `must be a list of strings; set it with \`pulumi config set --path '${this.key(name)}[0]' <value>\``,
      );
      return [];
    }
    return parsed;
  }

  /**
   * A secret value as a secret Output, or undefined when unset. Refuses a value stored in plain text
   * (Pulumi.yaml can't declare `secret: true` on an optional key, so the program enforces it).
   */
  secret(name: string): pulumi.Output<string> | undefined {
    if (!this.has(name)) return undefined;
    if (!this.isSecretKey(this.key(name))) {
      this.fail(
        name,
        `must be stored encrypted; set it again with \`pulumi config set --secret ${this.key(name)} <value>\``,
      );
    }
    return this.config.getSecret(name);
  }

  /** Throws one error listing every problem found, if any. Call once after reading everything. */
  throwIfInvalid(): void {
    if (this.problems.length === 0) return;
    throw new ConfigError(this.problems);
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      problems.length === 1
        ? `Invalid stack configuration: ${problems[0]}`
        : `Invalid stack configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`,
    );
    this.name = "ConfigError";
  }
}

/**
 * Whether the stack stores `fullKey` encrypted. `isConfigSecret` is exported by the Pulumi runtime but
 * left out of its type declarations; without it, every value counts as secret (no false alarms).
 */
function isConfigKeySecret(fullKey: string): boolean {
  const runtime = pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean };
  return runtime.isConfigSecret ? runtime.isConfigSecret(fullKey) : true;
}
