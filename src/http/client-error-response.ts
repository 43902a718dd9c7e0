/**
 * Errors Node's HTTP parser raises before a request exists (a URL or headers above 16 KB, bytes that are
 * not HTTP, a client too slow to send its request): fastify would answer its own JSON and drop the socket
 * without saying so. Here they get an RFC 7644 §3.12 body like every other error, and `Connection: close`,
 * so a keep-alive client opens a new connection instead of reusing a dead one.
 */
import http from "node:http";
import type { Socket } from "node:net";
import { ScimError } from "../scim/errors";

export function writeClientErrorResponse(error: NodeJS.ErrnoException, socket: Socket): void {
  // A reset connection is already gone (https://nodejs.org/api/http.html#event-clienterror).
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const scimError = clientError(error.code);
  if (socket.writable) {
    const body = JSON.stringify(scimError.toBody());
    socket.write(
      `HTTP/1.1 ${scimError.status} ${http.STATUS_CODES[scimError.status]}\r\n` +
        "Connection: close\r\n" +
        "Content-Type: application/scim+json; charset=utf-8\r\n" +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

function clientError(code: string | undefined): ScimError {
  switch (code) {
    case "HPE_HEADER_OVERFLOW":
      return new ScimError(431, undefined, "The request line or headers exceed 16 KB; shorten the URL");
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return new ScimError(
        408,
        undefined,
        "The request was not received in time (SCIM_REQUEST_TIMEOUT_MS); send it again",
      );
    default:
      return new ScimError(400, "invalidSyntax", "The request is not valid HTTP/1.1");
  }
}
