/**
 * The one error type of the SCIM service. Throw it anywhere (protocol, store, HTTP); the HTTP layer
 * renders it as an RFC 7644 §3.12 error body, `status` as a string.
 *
 *   throw new ScimError(409, "uniqueness", `userName "alice@contoso.com" is already taken`);
 */
export type ScimType =
  | "invalidFilter"
  | "tooMany"
  | "uniqueness"
  | "mutability"
  | "invalidSyntax"
  | "invalidPath"
  | "noTarget"
  | "invalidValue"
  | "invalidVers"
  | "sensitive";

export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly scimType: ScimType | undefined,
    readonly detail: string,
  ) {
    super(detail);
    this.name = "ScimError";
  }

  /** RFC 7644 §3.12 body. */
  toBody(): ScimErrorBody {
    return {
      schemas: [ERROR_SCHEMA],
      status: String(this.status),
      ...(this.scimType ? { scimType: this.scimType } : {}),
      detail: this.detail,
    };
  }
}

export const ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";

export interface ScimErrorBody {
  schemas: [typeof ERROR_SCHEMA];
  status: string;
  scimType?: ScimType;
  detail: string;
}

/**
 * 405: the path exists, the method does not apply to it. `allow` lists the methods that do, for the
 * `Allow` header a 405 must carry (RFC 9110 §15.5.6).
 */
export class MethodNotAllowedError extends ScimError {
  constructor(
    readonly allow: readonly string[],
    detail: string,
  ) {
    super(405, undefined, detail);
    this.name = "MethodNotAllowedError";
  }
}
