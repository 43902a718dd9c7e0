/** One RFC 7644 §3.5.2 PATCH operation, as the engine receives it after entra-dialect.ts normalised it. */
export interface PatchOperation {
  readonly op: "add" | "replace" | "remove";
  /** RFC 7644 §3.5.2 path; absent for path-less add/replace, whose value is an object of attributes. */
  readonly path?: string;
  readonly value?: unknown;
}

export const PATCH_OP_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
