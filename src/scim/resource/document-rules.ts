/**
 * Rules every stored document must satisfy, checked after POST, PUT and each PATCH (inside the write, so a
 * PATCH breaking one changes nothing):
 *  - the unique attribute (User.userName, Group.displayName) is present and not blank (RFC 7643 §4.1,
 *    §4.2: required), so a PATCH can never empty it;
 *  - the attributes the stores index (the unique attribute and externalId) fit in an index entry: PostgreSQL
 *    btree entries are limited to 2704 bytes, so a megabyte-long externalId would otherwise fail as a 500 on
 *    one engine and succeed on the other. Entra's own values are far shorter (a UPN is at most 113
 *    characters, a displayName 256, an objectId 36).
 */
import { ScimError } from "../errors";
import type { ResourceTypeDefinition } from "../schemas/resource-types";
import type { JsonObject } from "./coerce";

/** Longest userName, displayName or externalId accepted, in UTF-8 bytes. */
export const MAX_INDEXED_VALUE_BYTES = 1024;

export function checkDocument(resourceType: ResourceTypeDefinition, document: JsonObject): void {
  const name = resourceType.uniqueAttribute;
  const value = document[name];
  if (typeof value !== "string" || value.trim() === "") {
    throw new ScimError(
      400,
      "invalidValue",
      `${name} is required and cannot be empty for a ${resourceType.name}`,
    );
  }
  for (const attribute of [name, "externalId"]) {
    const indexed = document[attribute];
    if (typeof indexed !== "string") continue;
    const bytes = Buffer.byteLength(indexed, "utf8");
    if (bytes > MAX_INDEXED_VALUE_BYTES) {
      throw new ScimError(
        400,
        "invalidValue",
        `${attribute} is ${bytes} bytes long; the limit is ${MAX_INDEXED_VALUE_BYTES} bytes (UTF-8)`,
      );
    }
  }
}
