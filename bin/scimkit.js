#!/usr/bin/env node
// The `scimkit` command. Runs the TypeScript sources through tsx so a fresh clone needs no build step;
// the container image runs the compiled dist/ instead.
require("tsx/cjs");
require("../src/cli/main.ts");
