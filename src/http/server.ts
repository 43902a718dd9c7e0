/**
 * The HTTP face of the SCIM service: a thin fastify server that authenticates, parses JSON, hands each
 * SCIM call to the protocol layer and renders answers and errors as application/scim+json.
 *
 *   const app = buildServer({ store, tokens: ["…"] });
 *   await app.listen({ port: 0, host: "127.0.0.1" });   // or app.inject({ … }) in tests
 *   await app.close();                                  // drains in-flight requests, then closes the store
 */
import { randomUUID } from "node:crypto";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import {
  DEFAULT_BASE_PATH,
  DEFAULT_BODY_LIMIT_BYTES,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type EntraJwtConfig,
} from "../config/service-config";
import { ScimProtocol, type ScimProtocolOptions } from "../scim/service";
import type { Store } from "../store/contract";
import { BearerAuthenticator } from "./bearer-authentication";
import { writeClientErrorResponse } from "./client-error-response";
import { createEntraJwtVerifier } from "./entra-jwt";
import { registerGracefulDrain } from "./graceful-drain";
import { registerHealthRoutes } from "./health-routes";
import { registerRequestLogging } from "./request-logging";
import { registerScimErrorResponses, sendScimError, toScimError } from "./scim-error-response";
import { registerScimJsonBody } from "./scim-json-body";
import { registerScimRoutes } from "./scim-routes";

export interface ServerOptions {
  readonly store: Store;
  /** Static bearer tokens accepted at once. At least one token or `jwt` is required. */
  readonly tokens?: readonly string[];
  /** Accept Entra-issued JWTs for this tenant too. */
  readonly jwt?: EntraJwtConfig;
  /** @default "/scim/v2" */
  readonly basePath?: string;
  /** @default 1 MiB */
  readonly bodyLimitBytes?: number;
  /** @default 20 s */
  readonly requestTimeoutMs?: number;
  /** pino logger; no logging when absent. */
  readonly logger?: FastifyBaseLogger;
  /** Honour X-Forwarded-* headers (behind a proxy or tunnel). @default false */
  readonly trustProxy?: boolean;
  /** Close the store when the server closes. @default true */
  readonly closeStoreOnClose?: boolean;
  readonly protocolOptions?: ScimProtocolOptions;
  /** The SCIM protocol handler. @default new ScimProtocol(store, protocolOptions) */
  readonly protocol?: Pick<ScimProtocol, "handle">;
}

/** A caller-supplied X-Request-Id is kept (to correlate with the caller's logs) when it looks harmless. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function buildServer(options: ServerOptions): FastifyInstance {
  const basePath = options.basePath ?? DEFAULT_BASE_PATH;
  const bodyLimitBytes = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const authenticator = new BearerAuthenticator(
    options.tokens ?? [],
    options.jwt ? createEntraJwtVerifier(options.jwt) : undefined,
  );

  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    // registerRequestLogging writes the one line per request; fastify's own two lines are turned off.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: bodyLimitBytes,
    // Bounds how long a client may take to send its request (slow-body clients); handling time is
    // bounded separately by withinDeadline, which answers with a SCIM error.
    requestTimeout: requestTimeoutMs,
    trustProxy: options.trustProxy ?? false,
    // Shutdown answers are rendered below as SCIM errors instead of fastify's own 503 body.
    return503OnClosing: false,
    // A long /Schemas/urn:… or resource id must reach the protocol, not fall into the 404 handler.
    routerOptions: { caseSensitive: false, ignoreDuplicateSlashes: true, maxParamLength: 2048 },
    clientErrorHandler: writeClientErrorResponse,
    // Malformed percent-encoding in the URL: rendered as a SCIM error like everything else.
    frameworkErrors: (error, _request, reply) => sendScimError(reply, toScimError(error, bodyLimitBytes)),
    genReqId: (request) => {
      const supplied = request.headers["x-request-id"];
      return typeof supplied === "string" && SAFE_REQUEST_ID.test(supplied) ? supplied : randomUUID();
    },
  });

  // Hooks here and in the modules below are callback-style, not async: each async hook costs a promise
  // and a microtask turn on every request.
  app.addHook("onRequest", (request, reply, done) => {
    reply.header("X-Request-Id", request.id);
    done();
  });
  const isDraining = registerGracefulDrain(app);
  if (options.closeStoreOnClose ?? true) {
    app.addHook("onClose", async () => options.store.close());
  }

  registerScimJsonBody(app);
  registerScimErrorResponses(app, { bodyLimitBytes });
  registerRequestLogging(app);
  registerHealthRoutes(app, options.store, isDraining);
  registerScimRoutes(app, {
    basePath,
    protocol: options.protocol ?? new ScimProtocol(options.store, options.protocolOptions),
    authenticator,
    requestTimeoutMs,
  });
  return app;
}
