/**
 * Deliberately broken SCIM endpoints, each with one bug seen in real vendor endpoints
 * (../shared/docs/entra-scim-wire.md), and the validate check that must catch it.
 */
import { type RunningEndpoint, startInMemoryScimEndpoint } from "./in-memory-scim-endpoint";

export interface BrokenServer {
  readonly description: string;
  /** The check that must fail against it. */
  readonly failingCheck: string;
  start(): Promise<RunningEndpoint>;
}

export const BROKEN_SERVERS: readonly BrokenServer[] = [
  {
    description: "answers 404 to a filter that matches nothing (Entra quarantines the job)",
    failingCheck: "test-connection-users",
    start: () => startInMemoryScimEndpoint({ notFoundOnEmptyFilter: true }),
  },
  {
    description: "matches userName case-sensitively",
    failingCheck: "match-user-by-username-other-case",
    start: () => startInMemoryScimEndpoint({ caseSensitiveUserName: true }),
  },
  {
    description: 'rejects active "False" as a string',
    failingCheck: "disable-user-string-false",
    start: () => startInMemoryScimEndpoint({ rejectsStringBooleans: true }),
  },
  {
    description: "wipes the whole group on a legacy member removal",
    failingCheck: "remove-group-member-legacy",
    start: () => startInMemoryScimEndpoint({ legacyMemberRemovalWipesGroup: true }),
  },
];

export { type RunningEndpoint, startInMemoryScimEndpoint };
