/**
 * Group `members` operations become store MemberOperations instead of document edits: members live in
 * their own relation so that adding or removing one member costs the same in a 100,000-member group.
 * Supported shapes (RFC 7644 §3.5.2 and Entra's, after entra-dialect.ts):
 *   add     members            [{value}]  → add ids
 *   replace members            [{value}]  → removeAll, add ids   (RFC 7644 §3.5.2.3: replace all values)
 *   remove  members                       → removeAll            (RFC 7644 §3.5.2.2: path without filter)
 *   remove  members[value eq "a" or value eq "b"] → remove ids
 */
import type { MemberOperation } from "../../store/contract";
import { ScimError } from "../errors";
import type { FilterNode } from "../filter/ast";
import { isJsonObject } from "../resource/coerce";
import type { PatchOperation } from "./operation";
import type { PatchTarget } from "./path";

export function memberOperations(
  operation: PatchOperation,
  target: Extract<PatchTarget, { kind: "attribute" }>,
): MemberOperation[] {
  if (target.subAttribute) {
    throw new ScimError(
      400,
      "invalidPath",
      `"${operation.path}": members can only be added or removed as a whole`,
    );
  }
  if (target.filter) {
    if (operation.op !== "remove") {
      throw new ScimError(
        400,
        "invalidPath",
        `"${operation.path}": to add members use {"op":"add","path":"members","value":[{"value":"<id>"}]}`,
      );
    }
    return [{ op: "remove", ids: idsOfValueFilter(target.filter, operation.path!) }];
  }
  if (operation.op === "remove") return [{ op: "removeAll" }];
  const ids = memberIds(operation.value);
  if (operation.op === "replace")
    return ids.length > 0 ? [{ op: "removeAll" }, { op: "add", ids }] : [{ op: "removeAll" }];
  return ids.length > 0 ? [{ op: "add", ids }] : [];
}

/** Member ids of `[{"value":"<id>","$ref":…}]` (a single object or an absent value are tolerated). */
export function memberIds(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const elements = Array.isArray(value) ? value : [value];
  return elements.map((element, index) => {
    const id = isJsonObject(element) ? element.value : undefined;
    if (typeof id !== "string" || id === "") {
      throw new ScimError(400, "invalidValue", `members[${index}] needs a "value" holding the member's id`);
    }
    return id;
  });
}

/** Ids of `value eq "a"` or an `or` of such comparisons; anything else is not supported on members. */
function idsOfValueFilter(filter: FilterNode, path: string): string[] {
  if (filter.kind === "or")
    return [...idsOfValueFilter(filter.left, path), ...idsOfValueFilter(filter.right, path)];
  if (
    filter.kind === "compare" &&
    filter.op === "eq" &&
    filter.path.attribute === "value" &&
    typeof filter.value === "string"
  ) {
    return [filter.value];
  }
  throw new ScimError(
    400,
    "invalidFilter",
    `"${path}": members can be selected only by value eq "<id>" (or several joined by or)`,
  );
}

/** Merges neighbouring operations of the same kind so the store sees one add/remove per run. */
export function compactMemberOperations(operations: readonly MemberOperation[]): MemberOperation[] {
  const result: MemberOperation[] = [];
  for (const operation of operations) {
    const last = result.at(-1);
    if (last && last.op === operation.op && last.op !== "removeAll" && operation.op !== "removeAll") {
      result[result.length - 1] = { op: last.op, ids: [...last.ids, ...operation.ids] };
    } else if (!(last?.op === "removeAll" && operation.op === "removeAll")) {
      result.push(operation);
    }
  }
  return result;
}
