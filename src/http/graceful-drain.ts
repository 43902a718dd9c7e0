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
  app.addHook("onRequest", async (_request, reply) => {
    if (!draining) return;
    reply.header("Connection", "close");
    return sendScimError(
      reply,
      new ScimError(503, undefined, "The service is shutting down; retry the request"),
    );
  });
  app.addHook("onSend", async (_request, reply, payload) => {
    if (draining) reply.header("Connection", "close");
    return payload;
  });
  app.addHook("onResponse", async () => {
    if (draining) app.server.closeIdleConnections();
  });
  return () => draining;
}
