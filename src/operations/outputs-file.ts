import { readFile } from "node:fs/promises";

/** A saved `pulumi stack output --json` (the way to keep a stack's ids for scripts and after destroy). */
export async function readOutputsFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new Error(`--outputs ${path}: cannot read the file (${(error as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`--outputs ${path}: not JSON; save it with \`pulumi stack output --json > ${path}\``);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new Error(`--outputs ${path}: expected the JSON object printed by \`pulumi stack output --json\``);
  }
  return parsed as Record<string, unknown>;
}
