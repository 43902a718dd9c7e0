/**
 * The SCIM API: every method on the base path and below goes to the protocol layer (src/scim), which
 * routes /Users, /Groups, /Schemas, … and answers 404/405 itself. This layer only authenticates,
 * bounds the time, and renders the answer as application/scim+json.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from "fastify";
import { ScimError } from "../scim/errors";
import type { ScimProtocol } from "../scim/service";
import type { BearerAuthenticator } from "./bearer-authentication";
import { withinDeadline } from "./request-deadline";
import { SCIM_CONTENT_TYPE } from "./scim-json-body";
import { toScimRequest } from "./scim-request";

export interface ScimRouteOptions {
  readonly basePath: string;
  readonly protocol: Pick<ScimProtocol, "handle">;
  readonly authenticator: BearerAuthenticator;
  readonly requestTimeoutMs: number;
}

export function registerScimRoutes(app: FastifyInstance, options: ScimRouteOptions): void {
  const { basePath, protocol, authenticator, requestTimeoutMs } = options;

  // onRequest runs before the body is read: an unauthenticated caller cannot make the server parse 1 MiB.
  // Callback style, not async: a static token is checked at once, without a promise per request.
  const authenticate = (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => {
    let credential: string | Promise<string>;
    try {
      credential = authenticator.authenticate(request.headers.authorization);
    } catch (error) {
      return done(error as Error);
    }
    if (typeof credential === "string") {
      request.scimCredential = credential;
      return done();
    }
    credential.then(
      (label) => {
        request.scimCredential = label;
        done();
      },
      // Never done() without an error: that would let the request through unauthenticated.
      (error: unknown) =>
        done(error instanceof Error ? error : new ScimError(401, undefined, "The bearer token is not valid")),
    );
  };

  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    const scimRequest = toScimRequest(request, basePath);
    const response = await withinDeadline(protocol.handle(scimRequest), requestTimeoutMs, (error) =>
      request.log.error({ err: error }, "a request that had timed out failed later"),
    );
    reply.code(response.status);
    if (response.headers) reply.headers(response.headers);
    if (response.body === undefined) return reply.send();
    return reply.type(SCIM_CONTENT_TYPE).send(JSON.stringify(response.body));
  };

  for (const url of [basePath, `${basePath}/*`]) {
    app.route({ method: app.supportedMethods, url, onRequest: authenticate, handler: handle });
  }
}
