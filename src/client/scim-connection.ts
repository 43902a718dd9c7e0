/**
 * One keep-alive HTTP(S) connection pool to a SCIM tenant URL, sending requests byte-for-byte the way
 * the Entra provisioning service does (see ../shared/docs/entra-scim-wire.md):
 *   - `Authorization: Bearer <token>` and, with a body, `Content-Type: application/scim+json`;
 *   - NO User-Agent header (node:http adds none, unlike fetch/undici, which is why we use it);
 *   - query strings encoded with `+` for spaces (`filter=userName+eq+%22alice%40contoso.com%22`);
 *   - the tenant URL's own query string (e.g. `?aadOptscim062020`) kept on every request, as Entra does.
 *
 * Every request comes back as an Exchange (what was sent, what came back, how long it took) so checks
 * can show a failure exactly. The token is never stored in an Exchange: the header reads `Bearer <redacted>`.
 */
import http from "node:http";
import https from "node:https";

export type HttpMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

export interface SentRequest {
  readonly method: HttpMethod;
  readonly url: string;
  /** Headers as sent, with the bearer token replaced by `<redacted>`. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface ReceivedResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly bodyText: string;
  /** Parsed JSON body; undefined when the body is empty or not JSON. */
  readonly body: unknown;
}

export interface Exchange {
  readonly request: SentRequest;
  /** Absent when no response arrived (timeout, connection refused…); see `error`. */
  readonly response?: ReceivedResponse;
  readonly error?: string;
  readonly durationMs: number;
}

export interface RequestOptions {
  /** Query parameters in order; values are encoded the way Entra encodes them. */
  readonly query?: ReadonlyArray<readonly [string, string]>;
  readonly body?: unknown;
  /** Override the bearer token (checks of 401); `null` sends no Authorization header at all. */
  readonly token?: string | null;
}

export interface ConnectionOptions {
  /** The tenant URL, e.g. `https://app.example.com/scim` or `https://app.example.com/scim?aadOptscim062020`. */
  readonly url: string;
  readonly token: string;
  /** Per request: no response within this many ms → the exchange fails with a timeout. */
  readonly timeoutMs: number;
  /** Upper bound of open sockets (the concurrency of a simulation). */
  readonly maxSockets?: number;
  /** Extra raw query parameter appended to every request (the dialect flag `aadOptscim062020`). */
  readonly extraQuery?: string;
}

const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/** `+` for spaces, everything else percent-encoded: what Entra puts on the wire. */
export function encodeQueryValue(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, "+");
}

export function parseTenantUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(
      `--url must be an absolute http(s) URL such as https://app.example.com/scim (got "${url}")`,
    );
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new Error(`--url must use http or https (got "${parsed.protocol}")`);
  }
  return parsed;
}

export class ScimConnection {
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;

  constructor(private readonly options: ConnectionOptions) {
    this.base = parseTenantUrl(options.url);
    this.transport = this.base.protocol === "https:" ? https : http;
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 8 };
    this.agent =
      this.base.protocol === "https:" ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  }

  /** The tenant URL without credentials, for reports. */
  get tenantUrl(): string {
    return this.base.toString();
  }

  /** Builds `<tenant path><path>?<tenant query>&<extra>&<query>`. */
  urlFor(path: string, query: ReadonlyArray<readonly [string, string]> = []): string {
    const basePath = this.base.pathname.replace(/\/+$/, "");
    const parts: string[] = [];
    const tenantQuery = this.base.search.replace(/^\?/, "");
    if (tenantQuery) parts.push(tenantQuery);
    if (this.options.extraQuery && !tenantQuery.split("&").includes(this.options.extraQuery)) {
      parts.push(this.options.extraQuery);
    }
    for (const [key, value] of query) parts.push(`${encodeQueryValue(key)}=${encodeQueryValue(value)}`);
    return `${this.base.origin}${basePath}${path}${parts.length ? `?${parts.join("&")}` : ""}`;
  }

  send(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<Exchange> {
    const url = this.urlFor(path, options.query);
    const token = options.token === undefined ? this.options.token : options.token;
    const headers: Record<string, string> = {};
    const shownHeaders: Record<string, string> = {};
    if (token !== null) {
      headers.Authorization = `Bearer ${token}`;
      shownHeaders.Authorization =
        token === this.options.token ? "Bearer <redacted>" : `Bearer ${token.slice(0, 4)}…<redacted>`;
    }
    let bodyText: string | undefined;
    if (options.body !== undefined) {
      bodyText = JSON.stringify(options.body);
      headers["Content-Type"] = "application/scim+json";
      headers["Content-Length"] = String(Buffer.byteLength(bodyText));
      shownHeaders["Content-Type"] = headers["Content-Type"];
    }
    const request: SentRequest = {
      method,
      url,
      headers: shownHeaders,
      ...(bodyText ? { body: bodyText } : {}),
    };
    const started = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;

    return new Promise<Exchange>((resolve) => {
      let settled = false;
      const finish = (exchange: Omit<Exchange, "request" | "durationMs">) => {
        if (settled) return;
        settled = true;
        resolve({ request, durationMs: elapsed(), ...exchange });
      };
      const outgoing = this.transport.request(
        url,
        // setHost keeps the Host header; node:http never adds a User-Agent on its own.
        { method, headers, agent: this.agent, timeout: this.options.timeoutMs },
        (incoming) => {
          const chunks: Buffer[] = [];
          let size = 0;
          incoming.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_RESPONSE_BYTES) {
              incoming.destroy();
              finish({ error: `response body larger than ${MAX_RESPONSE_BYTES} bytes` });
              return;
            }
            chunks.push(chunk);
          });
          incoming.on("error", (error) => finish({ error: describeNetworkError(error) }));
          incoming.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            const responseHeaders: Record<string, string> = {};
            for (const [name, value] of Object.entries(incoming.headers)) {
              if (value !== undefined)
                responseHeaders[name] = Array.isArray(value) ? value.join(", ") : value;
            }
            finish({
              response: {
                status: incoming.statusCode ?? 0,
                statusText: incoming.statusMessage ?? "",
                headers: responseHeaders,
                bodyText: text,
                body: parseJson(text),
              },
            });
          });
        },
      );
      outgoing.on("timeout", () => {
        outgoing.destroy(new Error(`no response within ${this.options.timeoutMs} ms (--timeout)`));
      });
      outgoing.on("error", (error) => finish({ error: describeNetworkError(error) }));
      outgoing.end(bodyText);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describeNetworkError(error: Error & { code?: string }): string {
  if (error.code === "ECONNREFUSED") return `connection refused (${error.message}): is the endpoint running?`;
  if (error.code === "ENOTFOUND") return `host not found (${error.message}): check --url`;
  return error.code ? `${error.code}: ${error.message}` : error.message;
}
