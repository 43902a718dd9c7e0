/**
 * A configuration problem found at start-up. The message names the environment variable and says how to
 * fix it; `scimkit serve` prints it and exits non-zero instead of starting half-configured.
 */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}
