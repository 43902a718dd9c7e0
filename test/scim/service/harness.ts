/**
 * Shared set-up of the ScimProtocol tests: each test gets a protocol over a fresh real SQLite store
 * (openStore on a temporary file), plus helpers to call it and the request bodies Entra sends
 * (../shared/docs/entra-scim-wire.md).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, beforeEach } from "node:test";
import { ScimProtocol, type ScimResponse } from "../../../src/scim/service";
import type { Store } from "../../../src/store/contract";
import { openStore } from "../../../src/store/index";

export const BASE = "https://scim.example.com/scim/v2";
export const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
// biome-ignore lint/suspicious/noExplicitAny: assertions walk arbitrary SCIM JSON responses
export type Json = Record<string, any>;

let store: Store;
let protocol: ScimProtocol;

/** Registers the hooks: a fresh store and protocol (maxResults 50, default page 20) before each test. */
export function useFreshProtocol(): void {
  let directory: string;
  let databases = 0;
  before(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), "scimkit-protocol-"));
  });
  after(() => fs.rmSync(directory, { recursive: true, force: true }));
  beforeEach(async () => {
    databases += 1;
    store = await openStore(`sqlite:${path.join(directory, `protocol-${databases}.db`)}`);
    protocol = new ScimProtocol(store, { maxResults: 50, defaultCount: 20 });
  });
}

/** The current test's store. */
export function currentStore(): Store {
  return store;
}

/** Calls `protocol` (default: the current test's) like the HTTP layer would. */
export function call(
  method: string,
  target: string,
  body?: unknown,
  ifMatch?: string,
  via: Pick<ScimProtocol, "handle"> = protocol,
): Promise<ScimResponse> {
  const [pathPart, queryPart = ""] = target.split("?");
  return via.handle({
    method,
    path: pathPart!,
    query: new URLSearchParams(queryPart),
    ...(body !== undefined ? { body } : {}),
    baseUrl: BASE,
    ...(ifMatch !== undefined ? { ifMatch } : {}),
  });
}

export async function ok(method: string, target: string, body?: unknown): Promise<Json> {
  const response = await call(method, target, body);
  assert.ok(response.status < 300, `${method} ${target} → ${response.status}`);
  return response.body as Json;
}

export const q = (filter: string) => encodeURIComponent(filter);

/** Entra's create-user body, verbatim from the wire doc. */
export const entraUser = (
  userName = "Test_User_00aa00aa@testuser.com",
  externalId = "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
) => ({
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
  externalId,
  userName,
  active: true,
  emails: [{ primary: true, type: "work", value: "Test_User_11bb11bb@testuser.com" }],
  meta: { resourceType: "User" },
  name: { formatted: "givenName familyName", familyName: "familyName", givenName: "givenName" },
  roles: [],
});

export const entraGroup = (displayName = "Sales") => ({
  schemas: [
    "urn:ietf:params:scim:schemas:core:2.0:Group",
    "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group",
  ],
  externalId: `ext-${displayName}`,
  displayName,
  meta: { resourceType: "Group" },
});

/** PATCH a user: 204 without a body (no attributes requested), then the resource as GET returns it. */
export async function patchUser(id: string, body: unknown): Promise<Json> {
  const response = await call("PATCH", `/Users/${id}`, body);
  assert.equal(response.status, 204);
  assert.equal(response.body, undefined);
  const read = await ok("GET", `/Users/${id}`);
  assert.equal(response.headers?.ETag, read.meta.version);
  return read;
}

export const patchOp = (...operations: unknown[]) => ({
  schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
  Operations: operations,
});
