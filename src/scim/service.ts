/**
 * The single entry point of the SCIM protocol layer: the HTTP layer hands every SCIM call to
 * `ScimProtocol.handle` and renders what it returns (or the ScimError it throws).
 *
 *   const protocol = new ScimProtocol(await openStore(databaseUrl), { maxResults: 200 });
 *   const response = await protocol.handle({ method: "GET", path: "/Users", query, baseUrl });
 */

import type { Store } from "../store/contract";
import { ScimError } from "./errors";
import type { ScimProtocolOptions, ScimRequest, ScimResponse } from "./request";

export type { ScimProtocolOptions, ScimRequest, ScimResponse } from "./request";

export class ScimProtocol {
  constructor(
    private readonly store: Store,
    private readonly options: ScimProtocolOptions = {},
  ) {}

  async handle(request: ScimRequest): Promise<ScimResponse> {
    void this.store;
    void this.options;
    throw new ScimError(501, undefined, `${request.method} ${request.path} is not implemented yet`);
  }
}
