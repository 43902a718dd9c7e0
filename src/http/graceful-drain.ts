/**
 * Draining on shutdown (`app.close()`, called on SIGTERM): in-flight requests finish, nothing new starts.
 * - Requests that still arrive on kept-alive connections get a 503 SCIM error with `Connection: close`,
 *   so the client (Container Apps' ingress, Entra) retries on another replica.
 * - fastify closes idle keep-alive connections once, when close() starts; a connection busy at that
 *   moment would stay open (idle) after its response and hold close() until the shutdown deadline. So
 *   while draining every response says `Connection: close` (Node ends the socket after it) and idle
 *   sockets left over are closed after each response.
 * Returns a function telling whether the server is draining (/readyz reports it).
 */
import type { FastifyInstance } from "fastify";
import { ScimError } from "../scim/errors";
import { sendScimError } from "./scim-error-response";

export function registerGracefulDrain(app: FastifyInstance): () => boolean {
  let draining = false;
  app.addHook("preClose", async () => {
    draining = true;
  });
  app.addHook("onRequest", (_request, reply, done) => {
    if (!draining) return done();
    reply.header("Connection", "close");
    // Answered here: done() is not called, so the request goes no further.
    sendScimError(reply, new ScimError(503, undefined, "The service is shutting down; retry the request"));
  });
  app.addHook("onSend", (_request, reply, payload, done) => {
    if (draining) reply.header("Connection", "close");
    done(null, payload);
  });
  app.addHook("onResponse", (_request, _reply, done) => {
    if (draining) app.server.closeIdleConnections();
    done();
  });
  return () => draining;
}
