/**
 * Every error the service answers is an RFC 7644 §3.12 body with `status` as a string, whatever raised
 * it: the protocol (ScimError), the store (StoreUnavailableError → 503), fastify itself (body too large,
 * malformed Content-Length, …) or a bug (500, with nothing internal in the body; the log has the stack).
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { MethodNotAllowedError, ScimError } from "../scim/errors";
import { StoreUnavailableError } from "../store/contract";
import { SCIM_CONTENT_TYPE } from "./scim-json-body";

/** How long a client should wait before retrying a 503 (RFC 9110 §10.2.3); Entra retries later anyway. */
export const RETRY_AFTER_SECONDS = 5;

export function registerScimErrorResponses(app: FastifyInstance, options: { bodyLimitBytes: number }): void {
  app.setErrorHandler((error: unknown, request, reply) => {
    const scimError = toScimError(error, options.bodyLimitBytes);
    if (scimError.status >= 500) {
      request.log.error({ err: error }, `answered ${scimError.status}: ${describe(error)}`);
    }
    return sendScimError(reply, scimError);
  });
  app.setNotFoundHandler((request: FastifyRequest, reply) =>
    sendScimError(
      reply,
      new ScimError(
        404,
        undefined,
        `Nothing is served at ${request.url.split("?")[0]}; SCIM endpoints live under the tenant URL`,
      ),
    ),
  );
}

export function sendScimError(reply: FastifyReply, error: ScimError): FastifyReply {
  if (error.status === 401) reply.header("WWW-Authenticate", 'Bearer realm="scimkit"');
  // RFC 9110 §15.5.6: a 405 names the methods the resource allows; HEAD goes wherever GET does.
  if (error instanceof MethodNotAllowedError) reply.header("Allow", allowHeader(error.allow));
  if (error.status === 503) reply.header("Retry-After", String(RETRY_AFTER_SECONDS));
  return reply.code(error.status).type(SCIM_CONTENT_TYPE).send(JSON.stringify(error.toBody()));
}

/** Maps anything thrown while handling a request to the ScimError that is answered. */
export function toScimError(error: unknown, bodyLimitBytes: number): ScimError {
  if (error instanceof ScimError) return error;
  if (error instanceof StoreUnavailableError) {
    return new ScimError(503, undefined, "The database is unavailable right now; retry the request later");
  }
  const fastifyError = error as Partial<FastifyError>;
  switch (fastifyError.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new ScimError(
        413,
        undefined,
        `Request body is larger than the limit of ${bodyLimitBytes} bytes (SCIM_MAX_BODY_BYTES)`,
      );
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new ScimError(415, undefined, "Content-Type is malformed; send application/scim+json");
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return new ScimError(400, "invalidSyntax", "Content-Length does not match the body that was sent");
  }
  const status = fastifyError.statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) {
    // Fastify's own client errors (bad URL encoding, aborted body…) carry safe, fixed messages.
    return new ScimError(
      status,
      status === 400 ? "invalidSyntax" : undefined,
      fastifyError.message ?? "Bad request",
    );
  }
  return new ScimError(
    500,
    undefined,
    "The service failed to handle this request; it has been logged with its request id",
  );
}

function allowHeader(methods: readonly string[]): string {
  return methods.flatMap((method) => (method === "GET" ? ["GET", "HEAD"] : [method])).join(", ");
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
