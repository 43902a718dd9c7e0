/**
 * The two resource types scimkit serves (RFC 7643 §6), each with its core schema, extensions and the
 * attribute the store keeps unique. Attribute lookups go through `resolveAttributePath` (resolve.ts).
 */
import type { ResourceType } from "../../store/contract";
import type { SchemaDefinition } from "./attribute";
import { enterpriseUserSchema } from "./enterprise-user";
import { groupSchema } from "./group";
import { userSchema } from "./user";

export interface ResourceTypeDefinition {
  readonly name: ResourceType;
  /** Path segment under the base URL, e.g. "/Users". */
  readonly endpoint: string;
  readonly description: string;
  readonly schema: SchemaDefinition;
  readonly extensions: readonly { readonly schema: SchemaDefinition; readonly required: boolean }[];
  /** The attribute that must be present and unique (case-insensitively, enforced by the store). */
  readonly uniqueAttribute: "userName" | "displayName";
}

export const userResourceType: ResourceTypeDefinition = {
  name: "User",
  endpoint: "/Users",
  description: "User Account",
  schema: userSchema,
  extensions: [{ schema: enterpriseUserSchema, required: false }],
  uniqueAttribute: "userName",
};

export const groupResourceType: ResourceTypeDefinition = {
  name: "Group",
  endpoint: "/Groups",
  description: "Group",
  schema: groupSchema,
  extensions: [],
  uniqueAttribute: "displayName",
};

export const resourceTypes: readonly ResourceTypeDefinition[] = [userResourceType, groupResourceType];

export const allSchemas: readonly SchemaDefinition[] = [userSchema, enterpriseUserSchema, groupSchema];
