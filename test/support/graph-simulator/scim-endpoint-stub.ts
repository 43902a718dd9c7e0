/**
 * A minimal SCIM endpoint for Test Connection: answers GET /scim/v2/Users with an empty ListResponse
 * when the bearer token matches, 401 otherwise, and records the filters Entra (the simulator) sent.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface ScimEndpointStub {
  readonly baseUrl: string;
  readonly filters: string[];
  close(): Promise<void>;
}

export async function startScimEndpointStub(token: string): Promise<ScimEndpointStub> {
  const filters: string[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    if (request.headers.authorization !== `Bearer ${token}`) {
      response.writeHead(401, { "content-type": "application/scim+json" });
      response.end(
        JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "401" }),
      );
      return;
    }
    if (url.pathname === "/scim/v2/Users") filters.push(url.searchParams.get("filter") ?? "");
    response.writeHead(200, { "content-type": "application/scim+json" });
    response.end(
      JSON.stringify({
        schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        totalResults: 0,
        Resources: [],
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/scim/v2`,
    filters,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
