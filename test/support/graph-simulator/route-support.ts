/**
 * What every simulated route shares: the error type, the context a handler gets, lookups that answer
 * Graph's 404s, the `$filter` subset the kit sends, and the template constants.
 */
import type { Json, SimulatedJob, SimulatorState } from "./state";

export class SimulatedGraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface RouteOptions {
  readonly tenantId: string;
  readonly replicationLagCalls: number;
  readonly maskSecrets: boolean;
  readonly validateCredentialsResult?: { ok: true } | { ok: false; message: string };
  /** Gallery application template ids the tenant knows, → their synchronization template id. */
  readonly galleryTemplates: Readonly<Record<string, string>>;
}

export interface RouteContext {
  readonly state: SimulatorState;
  readonly options: RouteOptions;
  readonly params: string[];
  readonly query: URLSearchParams;
  readonly body: Json | undefined;
}

export interface RouteResult {
  status: number;
  body?: unknown;
}

export type Handler = (context: RouteContext) => RouteResult | Promise<RouteResult>;
export type Route = [method: string, template: string, operationId: string, handler: Handler];

export const NON_GALLERY_TEMPLATE_IDS = new Set([
  "8adf8e6e-67b2-4cf2-a259-e3dc5476c621",
  "4602d0b4-76bb-404b-bca9-2652e1a39c6d",
  "5a532e38-1581-4918-9658-008dc27c1d68",
]);
export const USER_ROLE_ID = "18d14569-c3bd-439b-9a66-3a2aee01d14f";
export const MSIAM_ACCESS_ROLE_ID = "b9632174-c057-4f7e-951b-be3adc52bfe6";
export const DEFAULT_ACCESS_ROLE_ID = "00000000-0000-0000-0000-000000000000";

export const notFound = (what: string) =>
  new SimulatedGraphError(404, "Request_ResourceNotFound", `${what} does not exist.`);
export const badRequest = (message: string, code = "Request_BadRequest") =>
  new SimulatedGraphError(400, code, message);
export const now = () => new Date().toISOString().replace(/\.\d+Z$/, "Z");

export function servicePrincipal(state: SimulatorState, id: string): Json {
  const found = state.servicePrincipals.get(id);
  if (!found) throw notFound(`Resource '${id}'`);
  return found;
}

export function synchronizationOf(state: SimulatorState, spId: string) {
  servicePrincipal(state, spId);
  const sync = state.synchronization.get(spId);
  if (!sync) throw notFound(`Synchronization of '${spId}'`);
  return sync;
}

export function job(state: SimulatorState, spId: string, jobId: string): SimulatedJob {
  const found = synchronizationOf(state, spId).jobs.get(jobId);
  if (!found) throw new SimulatedGraphError(404, "NotFound", `Job '${jobId}' was not found.`);
  return found;
}

/** `$filter=name eq 'value'` — the only filter shape the kit sends. */
export function filterBy(items: Iterable<Json>, filter: string | null): Json[] {
  const all = [...items];
  if (!filter) return all;
  const match = /^(\w+) eq '((?:[^']|'')*)'$/.exec(filter.trim());
  if (!match) throw badRequest(`Unsupported $filter in simulator: ${filter}`);
  const [, property, raw] = match;
  const value = raw.replace(/''/g, "'");
  return all.filter((item) => String(item[property] ?? "").toLowerCase() === value.toLowerCase());
}
