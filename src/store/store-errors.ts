/** Errors both engines raise with the same words, so clients see one behaviour whatever the store. */
import { ScimError } from "../scim/errors";
import type { ResourceType } from "./contract";
import { nameAttributeOf } from "./resource-columns";

/** RFC 7644 §3.3: a duplicate unique attribute is 409 uniqueness. */
export function nameTakenError(type: ResourceType, name: string): ScimError {
  return new ScimError(
    409,
    "uniqueness",
    `${nameAttributeOf(type)} ${JSON.stringify(name)} is already taken by another ${type} (compared case-insensitively)`,
  );
}

export function unknownMembersError(ids: readonly string[]): ScimError {
  const listed = ids
    .slice(0, 10)
    .map((id) => JSON.stringify(id))
    .join(", ");
  const more = ids.length > 10 ? ` and ${ids.length - 10} more` : "";
  return new ScimError(
    400,
    "invalidValue",
    `no User or Group has the member id ${listed}${more}; nothing was changed`,
  );
}

/** RFC 7644 §3.14: If-Match that does not match the current version → 412. */
export function versionMismatchError(current: number, expected: number): ScimError {
  return new ScimError(
    412,
    undefined,
    `the resource is at version W/"${current}", not W/"${expected}" (If-Match); fetch it again and retry`,
  );
}

export function membersOfUserError(): ScimError {
  return new ScimError(400, "invalidValue", `a User has no "members"; only Groups do`);
}
