/**
 * JSON request bodies beside the tests (test/http/fixtures/), exactly as Entra sends them, with
 * `{{name}}` placeholders for ids and values only known at run time.
 */
import fs from "node:fs";
import path from "node:path";

const directory = path.resolve(__dirname, "..", "fixtures");

export function fixture(name: string, values: Readonly<Record<string, string>> = {}): unknown {
  const text = fs.readFileSync(path.join(directory, `${name}.json`), "utf8");
  const filled = text.replace(/\{\{(\w+)\}\}/g, (_match, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`fixture ${name} needs a value for {{${key}}}`);
    return value;
  });
  return JSON.parse(filled);
}
