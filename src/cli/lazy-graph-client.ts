/**
 * The Graph client of the operations commands (status, teardown-check): infra/graph's client, loaded
 * only when a command runs. The service's container image ships dist/src alone, and `scimkit serve`
 * (which registers these commands) must start without infra/.
 */
export async function defaultGraphClient() {
  // require, not import(): bin/scimkit.js runs the sources through tsx's CommonJS hook only.
  const { createGraphClient } =
    require("../../infra/graph/client") as typeof import("../../infra/graph/client");
  return createGraphClient();
}
