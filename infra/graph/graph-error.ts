/**
 * A failed Graph call, carrying what the operator needs and nothing secret: method, path (no query
 * string, which may contain user names), HTTP status, Graph's error code and message.
 */
export class GraphRequestError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly code: string | undefined,
    readonly graphMessage: string,
  ) {
    super(
      `Microsoft Graph ${method} ${path} failed with ${status}${code ? ` ${code}` : ""}: ${graphMessage}`,
    );
    this.name = "GraphRequestError";
  }
}

export function isNotFound(error: unknown): boolean {
  return error instanceof GraphRequestError && error.status === 404;
}
