/**
 * Probes for Container Apps (and any orchestrator), outside the SCIM base path and unauthenticated:
 * - GET /healthz — liveness: the process answers. Never touches the database, so a database outage does
 *   not make the platform restart healthy replicas.
 * - GET /readyz — readiness: the store answers a ping within a few seconds; 503 while it does not and
 *   while the server drains for shutdown, so traffic moves to other replicas.
 */
import type { FastifyInstance } from "fastify";
import type { Store } from "../store/contract";
import { withinDeadline } from "./request-deadline";

export const READINESS_PING_TIMEOUT_MS = 3_000;

export function registerHealthRoutes(app: FastifyInstance, store: Store, isDraining: () => boolean): void {
  app.get("/healthz", async (_request, reply) => reply.type("application/json").send({ status: "ok" }));
  app.get("/readyz", async (request, reply) => {
    if (isDraining()) return reply.code(503).type("application/json").send({ status: "draining" });
    try {
      await withinDeadline(store.ping(), READINESS_PING_TIMEOUT_MS, () => {});
      return reply.type("application/json").send({ status: "ready" });
    } catch (error) {
      request.log.warn({ err: error }, "readiness check failed: the store did not answer");
      return reply
        .code(503)
        .type("application/json")
        .send({ status: "unavailable", detail: "the database is not reachable" });
    }
  });
}
