/** Every validation check, in the order a provisioning job meets them. */
import type { Check } from "./check";
import { connectionChecks } from "./connection-checks";
import { discoveryChecks } from "./discovery-checks";
import { errorChecks } from "./error-checks";
import { fieldBehaviourChecks } from "./field-behaviour-checks";
import { groupChecks } from "./group-checks";
import { paginationCheck } from "./pagination-check";
import { userChecks } from "./user-checks";
import { userUpdateChecks } from "./user-update-checks";

export const ALL_CHECKS: readonly Check[] = [
  ...connectionChecks,
  ...userChecks,
  ...userUpdateChecks,
  ...fieldBehaviourChecks,
  ...groupChecks,
  ...errorChecks,
  ...discoveryChecks,
  paginationCheck,
];
