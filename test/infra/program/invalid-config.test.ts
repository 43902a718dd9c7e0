/** Loading the real program with bad config fails before any resource exists, naming every bad key. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadProgram } from "../support/program-harness";

test("the program refuses bad config with one error naming each bad key and how to fix it", async () => {
  await assert.rejects(
    loadProgram({
      config: { maxReplicas: "50", image: "ghcr.io/acme/scimkit:latest", entraEnabled: "false" },
    }),
    (error: Error) => {
      assert.match(error.message, /scimkit:maxReplicas must be between 1 and 30 \(got 50\)/);
      assert.match(
        error.message,
        /scimkit:image must be a registry image pinned by digest.*docker buildx imagetools inspect/,
      );
      return true;
    },
  );
});
