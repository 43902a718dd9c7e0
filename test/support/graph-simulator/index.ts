/**
 * A strict local Microsoft Graph for tests and trial runs: HTTPS on 127.0.0.1 with a self-signed
 * certificate generated at start, bearer token required, every request validated against
 * ../shared/graph/graph-sync-openapi-subset.json (unknown paths, methods, query parameters and body
 * properties rejected with 400 and recorded in `state.contractViolations`; the simulator's own success
 * answers are checked against the response schemas too), state kept in memory.
 *
 *   const graph = await startGraphSimulator({ replicationLagCalls: 2 });
 *   process.env.SCIMKIT_GRAPH_ENDPOINT = graph.url;   // https://127.0.0.1:<port>
 *   process.env.SCIMKIT_GRAPH_TOKEN = graph.token;
 *   process.env.SCIMKIT_GRAPH_CA_CERT = graph.caCertificatePath;
 *   …
 *   await graph.close();
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateLoopbackCertificate } from "./certificate";
import { type ContractOperation, contractAbsentNote, formatAjvErrors, loadGraphContract } from "./contract";
import { OFF_CONTRACT_PREFIX, OWNER_ROUTES, validateOffContractBody } from "./owners-routes";
import { ROUTES, type RouteOptions, SimulatedGraphError } from "./routes";
import { type Json, SimulatorState } from "./state";

export { USER_ROLE_ID } from "./routes";
export { SimulatorState } from "./state";

export interface GraphSimulatorOptions {
  /** Bearer token the simulator accepts. Default: a random one. */
  readonly token?: string;
  /** Calls touching a just-created app / service principal that fail before it "replicates". Default 0. */
  readonly replicationLagCalls?: number;
  /** Status of those failures (403, 404 or 409, as Graph does). Default 404. */
  readonly replicationLagStatus?: 403 | 404 | 409;
  /** GET …/synchronization/secrets answers "*" for every value (default true, as Graph does). */
  readonly maskSecrets?: boolean;
  /** What the first cycle after start does. Default "success". */
  readonly firstCycle?: "success" | "quarantine";
  /** Fixed Test Connection outcome. Default: really call the BaseAddress with a random-GUID filter. */
  readonly validateCredentialsResult?: { ok: true } | { ok: false; message: string };
  readonly galleryTemplates?: Readonly<Record<string, string>>;
  readonly tenantId?: string;
  /** Override the contract file (tests of the absent-contract path). */
  readonly contractPath?: string;
  /** Told once when the contract file is absent. Default: console.warn. */
  readonly onContractAbsent?: (note: string) => void;
  /**
   * More routes (same shape as ROUTES), tried before the built-in ones: operations-routes.ts adds
   * users/groups writes, provisioning logs and a provisionOnDemand that reaches the SCIM endpoint.
   */
  readonly extraRoutes?: typeof ROUTES;
}

export interface GraphSimulator {
  /** https://127.0.0.1:<port> — use as SCIMKIT_GRAPH_ENDPOINT. */
  readonly url: string;
  readonly token: string;
  /** PEM of the self-signed certificate, and a file holding it (for SCIMKIT_GRAPH_CA_CERT). */
  readonly caCertificate: string;
  readonly caCertificatePath: string;
  readonly state: SimulatorState;
  /** False when ../shared is absent and requests are not checked against the contract. */
  readonly contractChecked: boolean;
  /** SCIMKIT_GRAPH_* variables pointing a Graph client at this simulator. */
  environment(): Record<string, string>;
  close(): Promise<void>;
}

export async function startGraphSimulator(options: GraphSimulatorOptions = {}): Promise<GraphSimulator> {
  const token = options.token ?? `sim-${randomUUID()}`;
  const state = new SimulatorState();
  state.cycleOutcome = options.firstCycle ?? "success";
  const contract = loadGraphContract(options.contractPath);
  if (!contract) (options.onContractAbsent ?? console.warn)(contractAbsentNote());
  const routeOptions: RouteOptions = {
    tenantId: options.tenantId ?? randomUUID(),
    replicationLagCalls: options.replicationLagCalls ?? 0,
    maskSecrets: options.maskSecrets ?? true,
    validateCredentialsResult: options.validateCredentialsResult,
    galleryTemplates: options.galleryTemplates ?? {},
  };
  const routes = [...(options.extraRoutes ?? []), ...ROUTES, ...(OWNER_ROUTES as unknown as typeof ROUTES)]
    .map(([method, template, operationId, handler]) => ({
      method,
      operationId,
      handler,
      pattern: new RegExp(
        `^${template
          .split(/(\{[^}]+\})/)
          .map((part) => (part.startsWith("{") ? "([^/]+)" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
          .join("")}$`,
      ),
      parameterCount: (template.match(/\{/g) ?? []).length,
    }))
    .sort((a, b) => a.parameterCount - b.parameterCount);

  const certificate = generateLoopbackCertificate();
  const directory = mkdtempSync(join(tmpdir(), "scimkit-graph-sim-"));
  const caCertificatePath = join(directory, "ca.pem");
  writeFileSync(caCertificatePath, certificate.cert);

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? "/", "https://127.0.0.1");
    const method = request.method ?? "GET";
    const raw = await readBody(request);
    const path = url.pathname.replace(/^\/v1\.0/, "");
    let operationId: string | undefined;
    let parsedBody: Json | undefined;
    let contractOperation: ContractOperation | undefined;
    const reply = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      state.calls.push({ method, path, query: url.search, status, operationId, body: parsedBody });
      const validateResponse = contractOperation?.validateResponse;
      if (status < 300 && body !== undefined && validateResponse && !validateResponse(body)) {
        state.contractViolations.push(
          `simulator answered ${method} ${path} outside the contract: ${formatAjvErrors(validateResponse)}`,
        );
      }
      response.writeHead(status, {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      });
      response.end(body === undefined ? undefined : JSON.stringify(body));
    };
    const fail = (error: SimulatedGraphError) =>
      reply(
        error.status,
        { error: { code: error.code, message: error.message, innerError: { "request-id": randomUUID() } } },
        error.headers,
      );
    try {
      if (!url.pathname.startsWith("/v1.0/"))
        throw new SimulatedGraphError(400, "BadRequest", "Only v1.0 is simulated.");
      if (request.headers.authorization !== `Bearer ${token}`) {
        throw new SimulatedGraphError(401, "InvalidAuthenticationToken", "Access token is empty or invalid.");
      }
      if (raw.length > 0) {
        try {
          parsedBody = JSON.parse(raw) as Json;
        } catch {
          throw new SimulatedGraphError(400, "BadRequest", "Request body is not valid JSON.");
        }
      }
      const offContract = routes.find(
        (candidate) =>
          candidate.operationId.startsWith(OFF_CONTRACT_PREFIX) &&
          candidate.method === method &&
          candidate.pattern.test(path),
      );
      if (offContract) {
        // Declared off-contract operations (owners) carry their own strict body check.
        operationId = offContract.operationId;
        const problem = validateOffContractBody(offContract.operationId, parsedBody);
        if (problem || url.search !== "") {
          const message = `${method} ${path}: ${offContract.operationId} ${problem ?? "takes no query parameters"}`;
          state.contractViolations.push(message);
          throw new SimulatedGraphError(400, "BadRequest", message);
        }
      } else if (contract) {
        const operation = contract.match(method, path);
        contractOperation = operation;
        if (!operation) {
          const message = contract.knowsPath(path)
            ? `${method} is not allowed on ${path} (not in the Graph contract)`
            : `${method} ${path} is not in the Graph contract`;
          state.contractViolations.push(message);
          throw new SimulatedGraphError(contract.knowsPath(path) ? 405 : 400, "BadRequest", message);
        }
        operationId = operation.operationId;
        if (operation.source === "csdl-official-but-broken") {
          state.contractViolations.push(`${method} ${path}: ${operation.operationId} must never be sent`);
        }
        for (const name of url.searchParams.keys()) {
          if (!operation.queryParameters.has(name)) {
            const message = `${method} ${path}: query parameter ${name} is not declared by ${operation.operationId}`;
            state.contractViolations.push(message);
            throw new SimulatedGraphError(400, "BadRequest", message);
          }
        }
        if (!operation.acceptsBody && raw.length > 0) {
          const message = `${method} ${path}: ${operation.operationId} takes no request body`;
          state.contractViolations.push(message);
          throw new SimulatedGraphError(400, "BadRequest", message);
        }
        if (operation.validateBody && !operation.validateBody(parsedBody ?? {})) {
          const message = `${method} ${path}: body does not match ${operation.operationId}: ${formatAjvErrors(operation.validateBody)}`;
          state.contractViolations.push(message);
          throw new SimulatedGraphError(400, "BadRequest", message);
        }
      }
      const route = routes.find((candidate) => candidate.method === method && candidate.pattern.test(path));
      if (!route) throw new SimulatedGraphError(400, "BadRequest", `${method} ${path} is not simulated`);
      operationId = route.operationId;
      for (const rule of state.throttleRules) {
        if (rule.remaining > 0 && rule.matches(method, path)) {
          rule.remaining--;
          throw new SimulatedGraphError(429, "TooManyRequests", "Too many requests.", {
            "Retry-After": String(rule.retryAfterSeconds),
          });
        }
      }
      for (const segment of path.split("/")) {
        const lag = state.replicationLag.get(segment);
        if (lag !== undefined && lag > 0) {
          state.replicationLag.set(segment, lag - 1);
          const status = options.replicationLagStatus ?? 404;
          throw new SimulatedGraphError(
            status,
            status === 404
              ? "Request_ResourceNotFound"
              : status === 403
                ? "Authorization_RequestDenied"
                : "Conflict",
            `Resource '${segment}' is not yet available in this replica.`,
          );
        }
      }
      const params = route.pattern.exec(path)!.slice(1).map(decodeURIComponent);
      const result = await route.handler({
        state,
        options: routeOptions,
        params,
        query: url.searchParams,
        body: parsedBody,
      });
      reply(result.status, result.body);
    } catch (error) {
      if (error instanceof SimulatedGraphError) return fail(error);
      fail(new SimulatedGraphError(500, "InternalServerError", `simulator bug: ${(error as Error).stack}`));
    }
  }

  const server = createServer({ key: certificate.key, cert: certificate.cert }, (request, response) => {
    void handle(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = `https://127.0.0.1:${port}`;
  return {
    url,
    token,
    caCertificate: certificate.cert,
    caCertificatePath,
    state,
    contractChecked: contract !== undefined,
    environment: () => ({
      SCIMKIT_GRAPH_ENDPOINT: url,
      SCIMKIT_GRAPH_TOKEN: token,
      SCIMKIT_GRAPH_CA_CERT: caCertificatePath,
    }),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}
