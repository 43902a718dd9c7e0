/**
 * Zero-configuration development: when no SCIM_TOKENS are set outside production, scimkit generates one
 * strong bearer token on first start, keeps it in the data directory (mode 0600, beside the embedded
 * database) and reuses it on every later start, so the token pasted into the Entra portal keeps working.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { assertStrongBearerToken } from "./bearer-token-rules";
import { ConfigError } from "./config-error";

export const DEVELOPMENT_TOKEN_FILE = "scim-token";

export interface DevelopmentToken {
  readonly token: string;
  readonly file: string;
  /** true when this start generated it, false when it was read back. */
  readonly generated: boolean;
}

/** Reads the token kept in `dataDirectory`, or creates it (exclusively, so two starts never race). */
export function ensureDevelopmentToken(dataDirectory: string): DevelopmentToken {
  const file = path.join(dataDirectory, DEVELOPMENT_TOKEN_FILE);
  fs.mkdirSync(dataDirectory, { recursive: true, mode: 0o700 });
  const token = randomBytes(36).toString("base64url");
  try {
    fs.writeFileSync(file, `${token}\n`, { mode: 0o600, flag: "wx" });
    return { token, file, generated: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return { token: readExistingToken(file), file, generated: false };
}

function readExistingToken(file: string): string {
  // The file holds a secret: tighten permissions someone loosened (e.g. a copy without -p).
  if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  const token = fs.readFileSync(file, "utf8").trim();
  try {
    assertStrongBearerToken(token, `The development token in ${file}`);
  } catch (error) {
    throw new ConfigError(
      `${(error as Error).message}. Delete ${file} to let scimkit generate a new one, or set SCIM_TOKENS.`,
    );
  }
  return token;
}
