/**
 * Microsoft Graph access for scimkit, usable from Pulumi dynamic providers and from the CLI alike.
 *
 * Built on @microsoft/microsoft-graph-client with @azure/identity's DefaultAzureCredential (az login,
 * environment, workload identity) unless a token is given. Packages are required inside functions:
 * dynamic providers are serialized and a class captured at module top level does not survive that
 * (../shared/docs/azure-and-pulumi-notes.md, "Dynamic providers").
 *
 * Calls are plain paths (`client.put("/servicePrincipals/…/schema", body)`), never generated builders:
 * the generated SDKs PATCH the schema, which Graph answers with 404.
 */
import { readGraphEnvironment } from "./environment";
import { GraphRequestError } from "./graph-error";
import { DEFAULT_RETRY_POLICY, type RetryPolicy, retryDelay } from "./retry-policy";

export interface GraphClientOptions {
  /** Graph root without version; wins over everything. */
  readonly endpoint?: string;
  /**
   * Graph root used when neither `endpoint` nor SCIMKIT_GRAPH_ENDPOINT is set: the national cloud's
   * endpoint (infra/graph/clouds.ts). Default https://graph.microsoft.com.
   */
  readonly defaultEndpoint?: string;
  /** Access token. Default: SCIMKIT_GRAPH_TOKEN, else DefaultAzureCredential. */
  readonly token?: string;
  /** Extra CA (PEM text) to trust. Default: the file named by SCIMKIT_GRAPH_CA_CERT. */
  readonly caCertificate?: string;
  readonly retryPolicy?: Partial<RetryPolicy>;
  /** Told about every retry (status, attempt, wait); never given tokens or bodies. */
  readonly onRetry?: (event: RetryEvent) => void;
}

export interface RetryEvent {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly attempt: number;
  readonly waitMs: number;
}

export interface GraphCallOptions {
  /** OData query parameters (`$filter`, `$select`, …). */
  readonly query?: Readonly<Record<string, string>>;
  /** The object was just created: retry 403/404/409 while the directory replicates. */
  readonly mayLagReplication?: boolean;
}

export interface GraphClient {
  readonly endpoint: string;
  get<T>(path: string, options?: GraphCallOptions): Promise<T>;
  /** GET a collection and follow `@odata.nextLink`. */
  list<T>(path: string, options?: GraphCallOptions): Promise<T[]>;
  post<T>(path: string, body: unknown, options?: GraphCallOptions): Promise<T>;
  put(path: string, body: unknown, options?: GraphCallOptions): Promise<void>;
  patch(path: string, body: unknown, options?: GraphCallOptions): Promise<void>;
  delete(path: string, options?: GraphCallOptions): Promise<void>;
}

const DEFAULT_ENDPOINT = "https://graph.microsoft.com";

export function createGraphClient(options: GraphClientOptions = {}): GraphClient {
  const environment = readGraphEnvironment();
  const endpoint = (
    options.endpoint ??
    environment.endpoint ??
    options.defaultEndpoint ??
    DEFAULT_ENDPOINT
  ).replace(/\/+$/, "");
  const policy: RetryPolicy = {
    ...DEFAULT_RETRY_POLICY,
    ...(environment.retryBaseDelayMs === undefined ? {} : { baseDelayMs: environment.retryBaseDelayMs }),
    ...options.retryPolicy,
  };
  const caCertificate =
    options.caCertificate ??
    (environment.caCertificatePath
      ? (require("node:fs") as typeof import("node:fs")).readFileSync(environment.caCertificatePath, "utf8")
      : undefined);
  const sdk = initializeSdkClient(endpoint, options.token ?? environment.token, caCertificate);

  async function call<T>(method: string, path: string, body: unknown, callOptions: GraphCallOptions = {}) {
    for (let attempt = 1; ; attempt++) {
      try {
        let request = sdk.api(path);
        if (callOptions.query) request = request.query({ ...callOptions.query });
        switch (method) {
          case "GET":
            return (await request.get()) as T;
          case "POST":
            return (await request.post(body)) as T;
          case "PUT":
            return (await request.put(body)) as T;
          case "PATCH":
            return (await request.patch(body)) as T;
          default:
            return (await request.delete()) as T;
        }
      } catch (error) {
        const failure = describeFailure(error);
        const waitMs = retryDelay(
          {
            status: failure.status,
            retryAfter: failure.retryAfter,
            attempt,
            mayLagReplication: callOptions.mayLagReplication === true,
          },
          policy,
        );
        if (waitMs === undefined) {
          throw new GraphRequestError(
            method,
            stripQuery(path),
            failure.status,
            failure.code,
            failure.message,
          );
        }
        options.onRetry?.({ method, path: stripQuery(path), status: failure.status, attempt, waitMs });
        await new Promise((resolve) => setTimeout(resolve, waitMs));
      }
    }
  }

  return {
    endpoint,
    get: (path, callOptions) => call("GET", path, undefined, callOptions),
    async list<T>(path: string, callOptions?: GraphCallOptions) {
      const items: T[] = [];
      let page = await call<{ value?: T[]; "@odata.nextLink"?: string }>("GET", path, undefined, callOptions);
      items.push(...(page.value ?? []));
      while (page["@odata.nextLink"]) {
        const next = page["@odata.nextLink"];
        page = await call("GET", next, undefined, { mayLagReplication: callOptions?.mayLagReplication });
        items.push(...(page.value ?? []));
      }
      return items;
    },
    post: (path, body, callOptions) => call("POST", path, body, callOptions),
    put: async (path, body, callOptions) => {
      await call("PUT", path, body, callOptions);
    },
    patch: async (path, body, callOptions) => {
      await call("PATCH", path, body, callOptions);
    },
    delete: async (path, callOptions) => {
      await call("DELETE", path, undefined, callOptions);
    },
  };
}

type SdkClient = import("@microsoft/microsoft-graph-client").Client;

function initializeSdkClient(endpoint: string, token: string | undefined, caCertificate: string | undefined) {
  const graph =
    require("@microsoft/microsoft-graph-client") as typeof import("@microsoft/microsoft-graph-client");
  const host = new URL(endpoint).host;
  const authProvider = token ? { getAccessToken: async () => token } : azureIdentityTokenProvider(endpoint);
  // The SDK's AuthenticationHandler only attaches the token over https to Graph hosts or customHosts,
  // so a simulator or proxy host must be declared here (../shared/docs/graph-provisioning.md).
  const middleware = [
    new graph.AuthenticationHandler(authProvider),
    caCertificate ? fetchTrustingCertificate(caCertificate) : new graph.HTTPMessageHandler(),
  ];
  const client: SdkClient = graph.Client.initWithMiddleware({
    baseUrl: endpoint,
    defaultVersion: "v1.0",
    middleware: chain(middleware),
    customHosts: new Set([host.split(":")[0]]),
  });
  return client;
}

/** The SDK accepts an array of middleware in recent versions, but chaining by hand works in all. */
function chain(middleware: object[]) {
  for (let index = 0; index < middleware.length - 1; index++) {
    (middleware[index] as { setNext?: (next: unknown) => void }).setNext?.(middleware[index + 1]);
  }
  return middleware[0] as never;
}

function azureIdentityTokenProvider(endpoint: string) {
  let credential: import("@azure/identity").TokenCredential | undefined;
  return {
    async getAccessToken() {
      if (!credential) {
        const identity = require("@azure/identity") as typeof import("@azure/identity");
        credential = new identity.DefaultAzureCredential();
      }
      const scope = `${endpoint}/.default`;
      const accessToken = await credential.getToken(scope);
      if (!accessToken) {
        throw new Error(
          `No Microsoft Graph token for ${scope}: run "az login" (or set AZURE_CLIENT_ID/AZURE_TENANT_ID/…), ` +
            `or set SCIMKIT_GRAPH_TOKEN to the output of "az account get-access-token --resource-type ms-graph --query accessToken -o tsv".`,
        );
      }
      return accessToken.token;
    },
  };
}

/** Final middleware: fetch through undici with an extra trusted CA (self-signed simulator, TLS proxy). */
function fetchTrustingCertificate(caCertificate: string) {
  const undici = require("undici") as typeof import("undici");
  const tls = require("node:tls") as typeof import("node:tls");
  const dispatcher = new undici.Agent({ connect: { ca: [...tls.rootCertificates, caCertificate] } });
  return {
    async execute(context: { request: string | { url: string }; options?: object; response?: unknown }) {
      const url = typeof context.request === "string" ? context.request : context.request.url;
      context.response = await undici.fetch(url, { ...context.options, dispatcher } as never);
    },
  };
}

function describeFailure(error: unknown): {
  status: number;
  code?: string;
  message: string;
  retryAfter?: string;
} {
  const candidate = error as {
    statusCode?: number;
    code?: string | null;
    message?: string;
    headers?: { get?: (name: string) => string | null };
    body?: unknown;
  };
  if (typeof candidate?.statusCode === "number" && candidate.statusCode > 0) {
    return {
      status: candidate.statusCode,
      code: candidate.code ?? undefined,
      message: candidate.message || "no message",
      retryAfter: candidate.headers?.get?.("retry-after") ?? undefined,
    };
  }
  // Network failure (DNS, TLS, refused): surface as-is, without retry.
  return { status: 0, message: error instanceof Error ? error.message : String(error) };
}

function stripQuery(path: string): string {
  const index = path.indexOf("?");
  return index === -1 ? path : path.slice(0, index);
}
