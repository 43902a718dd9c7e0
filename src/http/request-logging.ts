/**
 * Structured JSON logs (pino): one line per request with request id, method, path, status, latency and
 * which credential was used ("token 2 of 2" shows when an old token is still in use during rotation).
 * The query string is never logged (filters carry user names), nor any header: the Authorization header
 * and the tokens in it must not reach logs. Redaction below is the safety net for anything that ever
 * logs a request or headers object anyway.
 */
import type { FastifyInstance } from "fastify";
import pino, { type DestinationStream, type Logger } from "pino";

declare module "fastify" {
  interface FastifyRequest {
    /** Label of the credential that authenticated the request (never the token itself). */
    scimCredential?: string;
  }
}

export const REDACTED_PATHS = [
  "authorization",
  "headers.authorization",
  "req.headers.authorization",
  "request.headers.authorization",
  "*.headers.authorization",
  "token",
  "tokens",
  "*.token",
  "*.tokens",
];

export function createServiceLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: "scimkit" },
    // ISO 8601 times read well in Container Apps / Log Analytics queries and terminals alike.
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    serializers: {
      // Whatever logs a request object gets method and path only: no headers, no query string.
      req: (request: { method?: string; url?: string }) => ({
        method: request.method,
        path: request.url?.split("?")[0],
      }),
      res: (reply: { statusCode?: number }) => ({ status: reply.statusCode }),
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

export function registerRequestLogging(app: FastifyInstance): void {
  app.addHook("onResponse", async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        path: request.url.split("?")[0],
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
        ...(request.scimCredential ? { credential: request.scimCredential } : {}),
      },
      "request",
    );
  });
}
