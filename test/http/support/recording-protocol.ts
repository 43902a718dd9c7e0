/**
 * A stand-in for ScimProtocol that records what the HTTP layer handed it and answers what the test says,
 * so the HTTP layer (auth, parsing, errors, timeouts) is tested on its own.
 */
import type { ScimRequest, ScimResponse } from "../../../src/scim/request";

export interface RecordingProtocol {
  readonly requests: ScimRequest[];
  answer: (request: ScimRequest) => Promise<ScimResponse>;
  handle(request: ScimRequest): Promise<ScimResponse>;
}

export function createRecordingProtocol(): RecordingProtocol {
  const protocol: RecordingProtocol = {
    requests: [],
    answer: async () => ({ status: 200, body: { schemas: ["urn:test"], ok: true } }),
    async handle(request) {
      protocol.requests.push(request);
      return protocol.answer(request);
    },
  };
  return protocol;
}
