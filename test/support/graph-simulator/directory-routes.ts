/** Users and groups (read, for resolving assignments) and deleted items (purge after teardown). */
import { filterBy, notFound, type Route } from "./route-support";

export const DIRECTORY_ROUTES: Route[] = [
  [
    "GET",
    "/users",
    "users.list",
    ({ state, query }) => ({
      status: 200,
      body: { value: filterBy(state.users.values(), query.get("$filter")) },
    }),
  ],
  [
    "GET",
    "/users/{user-id}",
    "users.get",
    ({ state, params }) => {
      const user =
        state.users.get(params[0]) ??
        [...state.users.values()].find(
          (candidate) => candidate.userPrincipalName === decodeURIComponent(params[0]),
        );
      if (!user) throw notFound(`Resource '${params[0]}'`);
      return { status: 200, body: user };
    },
  ],
  [
    "GET",
    "/groups",
    "groups.list",
    ({ state, query }) => ({
      status: 200,
      body: { value: filterBy(state.groups.values(), query.get("$filter")) },
    }),
  ],
  [
    "GET",
    "/directory/deletedItems/{directoryObject-id}",
    "directory.deletedItems.get",
    ({ state, params }) => {
      const item = state.deletedItems.get(params[0]);
      if (!item) throw notFound(`Resource '${params[0]}'`);
      return { status: 200, body: item };
    },
  ],
  [
    "DELETE",
    "/directory/deletedItems/{directoryObject-id}",
    "directory.deletedItems.delete",
    ({ state, params }) => {
      if (!state.deletedItems.delete(params[0])) throw notFound(`Resource '${params[0]}'`);
      return { status: 204 };
    },
  ],
];
