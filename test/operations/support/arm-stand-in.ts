/**
 * A local stand-in for the one Azure Resource Manager call the teardown check makes:
 * GET /subscriptions/{sub}/resourcegroups/{name}?api-version=2021-04-01 → 200 with the group, or 404
 * ResourceGroupNotFound, as ARM answers. Requires the bearer token; records every request.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface ArmStandIn {
  readonly endpoint: string;
  readonly token: string;
  /** "<subscription>/<name>" of the groups that exist. */
  readonly resourceGroups: Set<string>;
  /** Answer every request with this status instead (e.g. 403), when set. */
  forcedStatus?: number;
  readonly requests: { url: string; authorization?: string }[];
  close(): Promise<void>;
}

export async function startArmStandIn(): Promise<ArmStandIn> {
  const token = "arm-test-token";
  const standIn = {
    endpoint: "",
    token,
    resourceGroups: new Set<string>(),
    forcedStatus: undefined as number | undefined,
    requests: [] as { url: string; authorization?: string }[],
    close: async () => {},
  };
  const server = createServer((request, response) => {
    standIn.requests.push({ url: request.url ?? "", authorization: request.headers.authorization });
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };
    if (request.headers.authorization !== `Bearer ${token}`) {
      return send(401, { error: { code: "AuthenticationFailed", message: "no token" } });
    }
    if (standIn.forcedStatus) {
      return send(standIn.forcedStatus, {
        error: { code: "AuthorizationFailed", message: "does not have authorization" },
      });
    }
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const match = /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)$/i.exec(url.pathname);
    if (!match || url.searchParams.get("api-version") !== "2021-04-01") {
      return send(400, { error: { code: "InvalidRequest", message: `unexpected ${request.url}` } });
    }
    const [, subscription, name] = match.map(decodeURIComponent);
    if (!standIn.resourceGroups.has(`${subscription}/${name}`)) {
      return send(404, {
        error: { code: "ResourceGroupNotFound", message: `Resource group '${name}' could not be found.` },
      });
    }
    send(200, { id: `/subscriptions/${subscription}/resourceGroups/${name}`, name, location: "westeurope" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  standIn.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  standIn.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return standIn;
}
