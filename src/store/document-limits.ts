/**
 * Shape limits a document must meet before either engine stores it. SQLite's JSON functions refuse
 * documents nested deeper than 1000 levels ("malformed JSON"), and PostgreSQL's jsonb hits its stack
 * limit on deep nesting; storing such a document would make every later filter over it fail. SCIM
 * resources are at most a few levels deep (extension → complex → sub-attribute), so the limit is
 * generous and the error says what to change.
 */
import { ScimError } from "../scim/errors";
import type { ResourceDocument } from "./contract";

export const MAX_DOCUMENT_DEPTH = 32;

export function assertStorableDocument(document: ResourceDocument): void {
  let level: unknown[] = [document];
  for (let depth = 1; level.length > 0; depth++) {
    if (depth > MAX_DOCUMENT_DEPTH) {
      throw new ScimError(
        400,
        "invalidValue",
        `the resource is nested more than ${MAX_DOCUMENT_DEPTH} levels deep; SCIM attributes need at most a few levels`,
      );
    }
    const next: unknown[] = [];
    for (const value of level) {
      if (value === null || typeof value !== "object") continue;
      for (const child of Object.values(value)) next.push(child);
    }
    level = next;
  }
}
