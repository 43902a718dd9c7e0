/**
 * Owners of the application and its service principal. These Graph v1.0 operations are NOT in
 * ../shared/graph/graph-sync-openapi-subset.json (its navigation properties are omitted), so they are
 * the simulator's only declared off-contract routes, each with its own strict body check:
 *   GET    /applications/{id}/owners             GET    /servicePrincipals/{id}/owners
 *   POST   /applications/{id}/owners/$ref        POST   /servicePrincipals/{id}/owners/$ref
 *   DELETE /applications/{id}/owners/{owner}/$ref DELETE /servicePrincipals/{id}/owners/{owner}/$ref
 * Shapes from Learn "Add owner" (application-post-owners, serviceprincipal-post-owners):
 * body `{"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/{id}"}` → 204.
 */
import type { RouteContext, RouteResult } from "./routes";
import { SimulatedGraphError } from "./routes";
import type { Json, SimulatorState } from "./state";

export const OFF_CONTRACT_PREFIX = "offContract.";
const REFERENCE = /^https:\/\/[^/]+\/v1\.0\/directoryObjects\/([0-9a-f-]{36})$/i;

/** Body check for an off-contract operation: undefined when valid, else why not. */
export function validateOffContractBody(operationId: string, body: unknown): string | undefined {
  if (!operationId.endsWith(".add")) return body === undefined ? undefined : "takes no request body";
  if (!body || typeof body !== "object" || Array.isArray(body)) return "body must be an object";
  const keys = Object.keys(body);
  if (keys.length !== 1 || keys[0] !== "@odata.id")
    return `body must be exactly {"@odata.id"} (got ${keys.join(", ")})`;
  const reference = (body as Json)["@odata.id"];
  if (typeof reference !== "string" || !REFERENCE.test(reference)) {
    return '"@odata.id" must be https://<graph>/v1.0/directoryObjects/{id}';
  }
  return undefined;
}

function ownersOf(state: SimulatorState, kind: "application" | "servicePrincipal", id: string): string[] {
  const exists = kind === "application" ? state.applications.has(id) : state.servicePrincipals.has(id);
  if (!exists)
    throw new SimulatedGraphError(404, "Request_ResourceNotFound", `Resource '${id}' does not exist.`);
  let owners = state.owners.get(id);
  if (!owners) {
    owners = [];
    state.owners.set(id, owners);
  }
  return owners;
}

function routesFor(kind: "application" | "servicePrincipal", collection: string) {
  const list = ({ state, params }: RouteContext): RouteResult => ({
    status: 200,
    body: {
      value: ownersOf(state, kind, params[0]).map((ownerId) => ({
        "@odata.type": "#microsoft.graph.user",
        id: ownerId,
        userPrincipalName: state.users.get(ownerId)?.userPrincipalName,
      })),
    },
  });
  const add = ({ state, params, body }: RouteContext): RouteResult => {
    const owners = ownersOf(state, kind, params[0]);
    const ownerId = REFERENCE.exec(String(body?.["@odata.id"]))![1];
    if (!state.users.has(ownerId)) {
      throw new SimulatedGraphError(404, "Request_ResourceNotFound", `Resource '${ownerId}' does not exist.`);
    }
    if (owners.includes(ownerId)) {
      throw new SimulatedGraphError(
        400,
        "Request_BadRequest",
        "One or more added object references already exist for the following modified properties: 'owners'.",
      );
    }
    owners.push(ownerId);
    return { status: 204 };
  };
  const remove = ({ state, params }: RouteContext): RouteResult => {
    const owners = ownersOf(state, kind, params[0]);
    const index = owners.indexOf(params[1]);
    if (index === -1)
      throw new SimulatedGraphError(404, "Request_ResourceNotFound", `Owner '${params[1]}' not found.`);
    owners.splice(index, 1);
    return { status: 204 };
  };
  const prefix = `${OFF_CONTRACT_PREFIX}${collection}.owners`;
  return [
    ["GET", `/${collection}/{id}/owners`, `${prefix}.list`, list],
    ["POST", `/${collection}/{id}/owners/$ref`, `${prefix}.add`, add],
    ["DELETE", `/${collection}/{id}/owners/{owner-id}/$ref`, `${prefix}.remove`, remove],
  ] as const;
}

export const OWNER_ROUTES = [
  ...routesFor("application", "applications"),
  ...routesFor("servicePrincipal", "servicePrincipals"),
];
