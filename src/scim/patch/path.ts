/**
 * RFC 7644 §3.5.2 PATCH path: `PATH = attrPath / valuePath [subAttr]`, e.g. `active`, `name.givenName`,
 * `emails[type eq "work"].value`, `members[value eq "id"]`,
 * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager`, or an extension URN alone.
 * Syntax errors are 400 invalidPath; a well-formed path naming an attribute the schema does not know is
 * `unknown`, and the engine ignores that operation (the wire doc: unknown attributes must never be a 400).
 */
import { ScimError } from "../errors";
import type { FilterNode } from "../filter/ast";
import { FilterParser } from "../filter/parser";
import type { AttributeDefinition } from "../schemas/attribute";
import { findAttribute } from "../schemas/attribute";
import { findExtension, resolveAttributePath } from "../schemas/resolve";
import type { ResourceTypeDefinition } from "../schemas/resource-types";

export type PatchTarget =
  | { readonly kind: "unknown"; readonly text: string }
  /** The whole extension object, stored under its URN key. */
  | { readonly kind: "extension"; readonly schema: string }
  | {
      readonly kind: "attribute";
      /** Extension URN when the attribute lives in an extension. */
      readonly schema?: string;
      readonly definition: AttributeDefinition;
      /** Selects elements of a multi-valued complex attribute; paths in it are relative to the element. */
      readonly filter?: FilterNode;
      readonly subAttribute?: AttributeDefinition;
    };

export function parsePatchPath(text: string, resourceType: ResourceTypeDefinition): PatchTarget {
  if (text.trim() === "")
    throw new ScimError(400, "invalidPath", `path is empty; omit it to target the resource`);
  const extension = findExtension(resourceType, text.trim());
  if (extension) return { kind: "extension", schema: extension.id };

  const parser = new FilterParser(text, resourceType, "invalidPath");
  const first = parser.next()!;
  if (first.kind !== "word") parser.failAt(first, `expected an attribute name, got "${first.text}"`);
  const resolved = resolveAttributePath(resourceType, first.text);
  if (!resolved) {
    skipRest(parser);
    return { kind: "unknown", text };
  }
  const schema = resolved.schema ? { schema: resolved.schema } : {};
  if (parser.peek()?.kind !== "[") {
    parser.expectEnd();
    return {
      kind: "attribute",
      ...schema,
      definition: resolved.definition,
      ...(resolved.subAttribute ? { subAttribute: resolved.subAttribute } : {}),
    };
  }
  const open = parser.next()!;
  if (resolved.subAttribute || resolved.definition.type !== "complex" || !resolved.definition.multiValued) {
    parser.failAt(
      open,
      `"${first.text}" is not a multi-valued complex attribute; "[…]" needs one, like emails`,
    );
  }
  const filter = parser.parseFilter({ kind: "element", parent: resolved }, 1);
  parser.expect("]", '"]"');
  let subAttribute: AttributeDefinition | undefined;
  const following = parser.peek();
  if (following) {
    if (following.kind !== "word" || !following.text.startsWith(".")) {
      parser.failAt(following, `expected ".subAttribute" or the end after "]", got "${following.text}"`);
    }
    parser.next();
    subAttribute = findAttribute(resolved.definition.subAttributes, following.text.slice(1));
    if (!subAttribute) return { kind: "unknown", text };
    parser.expectEnd();
  }
  return {
    kind: "attribute",
    ...schema,
    definition: resolved.definition,
    filter,
    ...(subAttribute ? { subAttribute } : {}),
  };
}

/** An unknown attribute may still carry a bracket filter; consume it without resolving names. */
function skipRest(parser: FilterParser): void {
  while (parser.peek()) parser.next();
}
