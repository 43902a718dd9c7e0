/**
 * The shape of one SCIM call as the protocol layer sees it, free of HTTP: the HTTP layer (src/http)
 * builds a ScimRequest from the incoming request, calls `ScimProtocol.handle`, and renders the
 * ScimResponse (status, headers, body as `application/scim+json`). Errors are thrown as ScimError
 * (src/scim/errors.ts) and rendered by the HTTP layer as RFC 7644 §3.12 bodies.
 */

export type ScimMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface ScimRequest {
  /** Upper-case HTTP method. Anything else → ScimError(405). */
  readonly method: string;
  /**
   * Path relative to the SCIM base path, query string stripped, e.g. "/Users", "/Users/abc",
   * "/Groups/abc", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User", "/ServiceProviderConfig".
   * Percent-encoding already decoded is fine; a trailing slash is tolerated.
   */
  readonly path: string;
  /**
   * Query parameters (`+` already decoded to space, as URLSearchParams does): filter, startIndex,
   * count, attributes, excludedAttributes. Unknown ones (e.g. `aadOptscim062020`) are ignored.
   */
  readonly query: URLSearchParams;
  /** Parsed JSON body (POST/PUT/PATCH), undefined when there is none. */
  readonly body?: unknown;
  /** Absolute URL of the SCIM base path, no trailing slash, e.g. "https://host/scim/v2"; used for meta.location. */
  readonly baseUrl: string;
  /** Raw If-Match header, e.g. `W/"3"`, when present (RFC 7644 §3.14). */
  readonly ifMatch?: string;
}

export interface ScimResponse {
  readonly status: number;
  /** JSON body to send as application/scim+json; undefined for 204. */
  readonly body?: unknown;
  /** Response headers to set: `ETag` (W/"n") on single-resource responses, `Location` on 201. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface ScimProtocolOptions {
  /** Largest page a list request may return (ServiceProviderConfig filter.maxResults). @default 200 */
  readonly maxResults?: number;
  /** Page size when the client sends no `count`. @default 100 */
  readonly defaultCount?: number;
}
