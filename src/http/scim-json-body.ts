/**
 * Request bodies: RFC 7644 §3.1 says SCIM messages are JSON in UTF-8, sent as `application/scim+json`,
 * and servers SHOULD accept `application/json` too. Entra always sends `application/scim+json`;
 * curl and scripts often send `application/json` or nothing, so a body without a Content-Type is read as
 * JSON too. Any other media type is refused with 415 and a SCIM error saying what to send.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { ScimError } from "../scim/errors";
import { unstorableTextIn } from "../scim/unstorable-text";

export const SCIM_CONTENT_TYPE = "application/scim+json; charset=utf-8";
export const ACCEPTED_REQUEST_MEDIA_TYPES = ["application/scim+json", "application/json"] as const;

/**
 * SCIM documents are shallow (a User is 4 levels deep at most); a limit well above that keeps hostile
 * bodies (`[[[[…]]]]`) from exhausting the stack of any recursive code further down.
 */
export const MAXIMUM_JSON_NESTING = 32;

export function registerScimJsonBody(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    [...ACCEPTED_REQUEST_MEDIA_TYPES],
    { parseAs: "string" },
    (_request, text, done) => {
      try {
        done(null, parseScimJson(text as string));
      } catch (error) {
        done(error as Error, undefined);
      }
    },
  );
  // Fastify hands bodies without a Content-Type to the "" parser and every other media type to "*".
  app.addContentTypeParser("*", { parseAs: "string" }, (request: FastifyRequest, text, done) => {
    if (request.headers["content-type"] === undefined) {
      try {
        done(null, parseScimJson(text as string));
      } catch (error) {
        done(error as Error, undefined);
      }
      return;
    }
    done(
      new ScimError(
        415,
        undefined,
        `Content-Type ${JSON.stringify(request.headers["content-type"])} is not supported; send the body as application/scim+json (RFC 7644 §3.1) or application/json`,
      ),
      undefined,
    );
  });
}

/** Parses a request body; empty → undefined (DELETE with a Content-Type, or a bodiless POST the protocol rejects). */
export function parseScimJson(text: string): unknown {
  if (text.trim() === "") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ScimError(400, "invalidSyntax", `Request body is not valid JSON: ${(error as Error).message}`);
  }
  assertSafeStructure(value);
  return value;
}

/**
 * Iterative (never recursive) walk: rejects nesting deeper than MAXIMUM_JSON_NESTING, `__proto__` keys
 * (which JSON.parse keeps as own properties but a later object merge would turn into a prototype change),
 * and keys or strings no engine stores alike (NUL, unpaired surrogates).
 */
function assertSafeStructure(root: unknown): void {
  // `key` is the attribute name the value sits under (the nearest one for array items), for error messages.
  const pending: Array<{ value: unknown; depth: number; key: string | undefined }> = [
    { value: root, depth: 0, key: undefined },
  ];
  while (pending.length > 0) {
    const { value, depth, key } = pending.pop()!;
    if (typeof value === "string") {
      assertStorableText(
        value,
        key === undefined ? "a value" : `the value of ${JSON.stringify(key.slice(0, 64))}`,
      );
      continue;
    }
    if (value === null || typeof value !== "object") continue;
    if (depth >= MAXIMUM_JSON_NESTING) {
      throw new ScimError(
        400,
        "invalidSyntax",
        `Request body is nested deeper than ${MAXIMUM_JSON_NESTING} levels`,
      );
    }
    if (Array.isArray(value)) {
      for (const item of value) pending.push({ value: item, depth: depth + 1, key });
      continue;
    }
    if (Object.hasOwn(value, "__proto__")) {
      throw new ScimError(
        400,
        "invalidSyntax",
        `Request body uses the attribute name "__proto__", which no SCIM schema defines`,
      );
    }
    const object = value as Record<string, unknown>;
    for (const name of Object.keys(object)) {
      assertStorableText(name, "an attribute name");
      pending.push({ value: object[name], depth: depth + 1, key: name });
    }
  }
}

/**
 * NUL and unpaired surrogates: refused the same on every engine (src/scim/unstorable-text.ts). The message
 * names where, never the text itself: it may be a secret (a password attribute) and ends up in Entra's logs.
 */
function assertStorableText(text: string, where: string): void {
  const unstorable = unstorableTextIn(text);
  if (unstorable === undefined) return;
  throw new ScimError(
    400,
    "invalidValue",
    `Request body holds ${unstorable} in ${where}; SCIM values are Unicode text without NUL characters`,
  );
}
