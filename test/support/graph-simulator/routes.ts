/**
 * The simulated Graph operations, keyed by the contract's operationIds. Behaviours reproduced from
 * ../shared/docs/graph-provisioning.md: non-idempotent instantiate, jobs created Disabled, masked
 * secrets on GET, whole-schema PUT (PATCH answers 404), Test Connection calling the SCIM endpoint with
 * a random-GUID userName filter, quarantine after the first cycle when asked, provision-on-demand
 * rate limit. One file per area; this one assembles them.
 */
import { APPLICATION_ROUTES } from "./application-routes";
import { DIRECTORY_ROUTES } from "./directory-routes";
import type { Route } from "./route-support";
import { SYNCHRONIZATION_ROUTES } from "./synchronization-routes";

export {
  type Handler,
  NON_GALLERY_TEMPLATE_IDS,
  type Route,
  type RouteContext,
  type RouteOptions,
  type RouteResult,
  SimulatedGraphError,
  USER_ROLE_ID,
} from "./route-support";

export const ROUTES: Route[] = [...APPLICATION_ROUTES, ...SYNCHRONIZATION_ROUTES, ...DIRECTORY_ROUTES];
