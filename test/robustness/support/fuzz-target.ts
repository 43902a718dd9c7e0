/**
 * Where fuzz cases are sent. Two targets with one interface:
 * - in-process: the real fastify server (`buildServer`) over a real store, called through `inject()` —
 *   no sockets, so thousands of cases take seconds; it is the same routing, parsing, auth, protocol and
 *   store code that a request over the network runs;
 * - socket: a real `scimkit serve` process, reached over HTTP/1.1 on 127.0.0.1 with node:http (not
 *   fetch, which would normalise the odd requests away), so the sample also covers Node's HTTP parser
 *   and "the process is still alive".
 */
import http from "node:http";
import type { FastifyInstance } from "fastify";
import { buildServer } from "../../../src/http/server";
import { ScimProtocol } from "../../../src/scim/service";
import { openStore } from "../../../src/store/index";
import type { ServiceProcess } from "../../support/server-process";
import { parse } from "./scim-client";

export interface WireRequest {
  readonly method: string;
  /** Path and query relative to the origin, already encoded, e.g. `/scim/v2/Users?filter=…`. */
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
}

export interface WireResponse {
  /** 0 when the server closed the connection before reading all of an oversized body (see `closedEarly`). */
  readonly status: number;
  /**
   * Socket target only: the server answered or hung up while the client was still sending a body larger
   * than the body limit, and the client got EPIPE/ECONNRESET instead of the answer. Legitimate for an
   * oversized body (RFC 9110 §15.5.14 lets a server close instead of reading it); the in-process target
   * checks the 413 answer itself.
   */
  readonly closedEarly?: boolean;
  readonly contentType: string;
  readonly text: string;
  readonly body: unknown;
}

export interface FuzzTarget {
  readonly description: string;
  readonly basePath: string;
  readonly token: string;
  send(request: WireRequest): Promise<WireResponse>;
  /** True when /healthz answers 200 and (socket target) the process has not exited. */
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}

export const FUZZ_BASE_PATH = "/scim/v2";
/** The service's default SCIM_MAX_BODY_BYTES (1 MiB). */
const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * `protocol` replaces the SCIM protocol handler (built on the real one): the suite that proves the fuzz
 * checks catch a broken service uses it to break the service on purpose.
 */
export async function inProcessTarget(
  databaseUrl: string,
  token: string,
  options: { protocol?: (real: ScimProtocol) => Pick<ScimProtocol, "handle"> } = {},
): Promise<FuzzTarget> {
  const store = await openStore(databaseUrl);
  await store.migrate();
  const protocol = options.protocol?.(new ScimProtocol(store));
  const app: FastifyInstance = buildServer({
    store,
    tokens: [token],
    basePath: FUZZ_BASE_PATH,
    ...(protocol ? { protocol } : {}),
  });
  await app.ready();
  const send = async (request: WireRequest): Promise<WireResponse> => {
    const response = await app.inject({
      method: request.method as "GET",
      url: request.url,
      headers: { ...request.headers },
      ...(request.body === undefined ? {} : { payload: request.body }),
    });
    return {
      status: response.statusCode,
      contentType: String(response.headers["content-type"] ?? ""),
      ...parse(response.body),
    };
  };
  return {
    description: "in-process (fastify inject)",
    basePath: FUZZ_BASE_PATH,
    token,
    send,
    healthy: async () => (await send({ method: "GET", url: "/healthz" })).status === 200,
    close: () => app.close(),
  };
}

export function socketTarget(service: ServiceProcess): FuzzTarget {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const send = (request: WireRequest) =>
    new Promise<WireResponse>((resolve, reject) => {
      const outgoing = http.request(
        service.origin + request.url,
        {
          method: request.method,
          // Explicit framing: node:http sends bodies of GET/DELETE/OPTIONS unframed otherwise, which is a
          // malformed HTTP stream rather than an odd request.
          headers: {
            ...request.headers,
            ...(request.body === undefined
              ? {}
              : { "content-length": String(Buffer.byteLength(request.body)) }),
          },
          agent,
          timeout: 30_000,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () =>
            resolve({
              status: response.statusCode ?? 0,
              contentType: String(response.headers["content-type"] ?? ""),
              ...parse(Buffer.concat(chunks).toString("utf8")),
            }),
          );
          response.on("error", reject);
        },
      );
      outgoing.on("timeout", () =>
        outgoing.destroy(new Error(`no answer in 30 s to ${request.method} ${request.url.slice(0, 200)}`)),
      );
      outgoing.on("error", (error: NodeJS.ErrnoException) => {
        const oversized = request.body !== undefined && Buffer.byteLength(request.body) > BODY_LIMIT_BYTES;
        if (oversized && (error.code === "EPIPE" || error.code === "ECONNRESET"))
          resolve({ status: 0, closedEarly: true, contentType: "", text: "", body: undefined });
        else reject(error);
      });
      outgoing.end(request.body);
    });
  return {
    description: `socket (scimkit serve, pid ${service.pid})`,
    basePath: FUZZ_BASE_PATH,
    token: service.token,
    send,
    async healthy() {
      try {
        return (await send({ method: "GET", url: "/healthz" })).status === 200;
      } catch {
        return false;
      }
    },
    async close() {
      agent.destroy();
    },
  };
}

/**
 * encodeURIComponent, except that lone surrogates (which it refuses) become the bytes a careless
 * encoder would produce (CESU-8, e.g. %ED%A0%80): invalid UTF-8 the server must reject cleanly.
 */
export function percentEncode(text: string): string {
  let encoded = "";
  for (const piece of text.match(/[\ud800-\udbff][\udc00-\udfff]|[\s\S]/g) ?? []) {
    const code = piece.charCodeAt(0);
    if (piece.length === 1 && code >= 0xd800 && code <= 0xdfff) {
      encoded += `%${(0xe0 | (code >> 12)).toString(16).toUpperCase()}%${(0x80 | ((code >> 6) & 0x3f)).toString(16).toUpperCase()}%${(0x80 | (code & 0x3f)).toString(16).toUpperCase()}`;
    } else {
      encoded += encodeURIComponent(piece);
    }
  }
  return encoded;
}
