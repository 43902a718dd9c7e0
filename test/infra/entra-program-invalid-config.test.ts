/** The real program refuses bad Entra config before registering anything, naming the key. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadProgram } from "./support/program-harness";

test("bad Entra config fails the program with the key's name, together with the other bad keys", async () => {
  await assert.rejects(
    loadProgram({
      config: {
        image: `ghcr.io/acme/scimkit:1.0.0@sha256:${"a".repeat(64)}`,
        maxReplicas: "50",
        entraScope: "everyone",
        entraUserMappings: [{ target: "userName", source: "userPrincipalName" }],
      },
    }),
    (error: Error) => {
      assert.match(error.message, /scimkit:maxReplicas must be between 1 and 30/);
      assert.match(error.message, /scimkit:entraScope must be one of assigned, all \(got "everyone"\)/);
      assert.match(error.message, /scimkit:entraUserMappings needs one mapping with matchingPrecedence: 1/);
      return true;
    },
  );
});
