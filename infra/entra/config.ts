/**
 * The Entra side of the stack config, validated up front: every problem names its key
 * (`scimkit:entraUserMappings[2].target …`) and says how to fix it. infra/config.ts calls
 * `readEntraConfig` with its ConfigReader so all bad keys are reported together.
 *
 * Every key is declared in Pulumi.yaml. The list-of-object keys (ENTRA_OBJECT_LIST_KEYS) are declared
 * as strings holding JSON — Pulumi project config can only type scalars and lists of scalars — e.g.
 * `pulumi config set scimkit:entraAssignments '[{"user":"alice@contoso.com"}]'`; they are validated here.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigReader } from "../config-reader";
import { CLOUD_PROFILES, ENTRA_CLOUDS, type EntraCloud } from "../graph/clouds";
import type { AppRoleSpec } from "./app-roles";
import {
  type AttributeMappingSpec,
  DEFAULT_GROUP_MAPPINGS,
  DEFAULT_USER_MAPPINGS,
  type ScopingFilterSpec,
} from "./mapping-types";
import type { AssignmentSpec } from "./principals";
import type { DesiredProvisioningSchema } from "./provisioning-schema";

export interface EntraConfig {
  /** `scimkit:entraEnabled` — false leaves Entra untouched (service only). */
  readonly enabled: boolean;
  readonly cloud: EntraCloud;
  readonly graphEndpoint: string;
  /** Gallery template id, or the cloud's non-gallery template. */
  readonly applicationTemplateId: string;
  readonly displayName: string;
  readonly appRoles: readonly AppRoleSpec[];
  /** User object ids or UPNs owning the app and its service principal. */
  readonly owners: readonly string[];
  readonly assignments: readonly AssignmentSpec[];
  readonly useAadOptscim062020: boolean;
  readonly notificationEmail: string | undefined;
  readonly notifyOnFailure: boolean;
  readonly deleteThresholdEnabled: boolean;
  readonly deleteThresholdValue: number;
  readonly syncAll: boolean;
  readonly skipOutOfScopeDeletions: boolean;
  readonly schema: DesiredProvisioningSchema;
  readonly provisioningOn: boolean;
  readonly restartTrigger: string;
  readonly waitForFirstCycle: "off" | "warn" | "fail";
  readonly firstCycleTimeoutSeconds: number;
  readonly provisionOnDemandUsers: readonly string[];
  readonly permanentlyDeleteOnDestroy: boolean;
}

/** Keys holding lists of objects, as JSON strings (declared `type: string` in Pulumi.yaml). */
export const ENTRA_OBJECT_LIST_KEYS = [
  "entraAppRoles",
  "entraAssignments",
  "entraUserMappings",
  "entraGroupMappings",
  "entraUserScopingFilters",
  "entraGroupScopingFilters",
] as const;

const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@;,]+@[^\s@;,]+\.[^\s@;,]+$/;
const TEMPLATE_ROLES = ["User", "msiam_access"];

/**
 * @param reader pass infra/config.ts's reader to report together with the other keys; without it the
 *        problems are thrown here.
 */
export function readEntraConfig(config: pulumi.Config, sharedReader?: ConfigReader): EntraConfig {
  const reader = sharedReader ?? new ConfigReader(config);
  const cloud = reader.oneOf("entraCloud", ENTRA_CLOUDS, "global");
  const profile = CLOUD_PROFILES[cloud];
  const galleryTemplateId = reader.string("entraGalleryTemplateId");
  if (galleryTemplateId !== undefined && !OBJECT_ID.test(galleryTemplateId)) {
    reader.fail(
      "entraGalleryTemplateId",
      `must be an application template id (a GUID), got "${galleryTemplateId}"`,
    );
  }
  const displayName = reader.string("entraAppDisplayName", `scimkit-${pulumi.getStack()}`);
  if (displayName.length > 256)
    reader.fail("entraAppDisplayName", `must be at most 256 characters (got ${displayName.length})`);

  const appRoles = readAppRoles(config, reader);
  const assignments = readAssignments(config, reader, appRoles);
  const notificationEmail = reader.string("entraNotificationEmail");
  if (
    notificationEmail !== undefined &&
    !notificationEmail.split(";").every((one) => EMAIL.test(one.trim()))
  ) {
    reader.fail(
      "entraNotificationEmail",
      `must be an email address, or several separated by ";" (got "${notificationEmail}")`,
    );
  }
  const scope = reader.oneOf("entraScope", ["assigned", "all"] as const, "assigned");
  const provisionGroups = reader.boolean("entraProvisionGroups", true);
  const userMappings = readMappings(config, reader, "entraUserMappings", DEFAULT_USER_MAPPINGS);
  const groupMappings = readMappings(config, reader, "entraGroupMappings", DEFAULT_GROUP_MAPPINGS);
  const provisioning = reader.oneOf("entraProvisioning", ["on", "off"] as const, "on");
  const waitForFirstCycle = reader.oneOf("entraWaitForFirstCycle", ["off", "warn", "fail"] as const, "off");
  const onDemandUsers = reader.stringList("entraProvisionOnDemandUsers");
  if (onDemandUsers.length > 0 && provisioning === "off") {
    reader.fail(
      "entraProvisionOnDemandUsers",
      'needs scimkit:entraProvisioning "on" (the smoke test runs after start)',
    );
  }

  const result: EntraConfig = {
    enabled: reader.boolean("entraEnabled", true),
    cloud,
    graphEndpoint: profile.graphEndpoint,
    applicationTemplateId: galleryTemplateId ?? profile.nonGalleryTemplateId,
    displayName,
    appRoles,
    owners: reader.stringList("entraOwners"),
    assignments,
    useAadOptscim062020: reader.boolean("entraUseAadOptscim062020", false),
    notificationEmail,
    notifyOnFailure: reader.boolean("entraNotifyOnFailure", true),
    deleteThresholdEnabled: reader.boolean("entraDeleteThresholdEnabled", true),
    deleteThresholdValue: reader.integer("entraDeleteThreshold", { min: 1, max: 1_000_000 }, 500),
    syncAll: scope === "all",
    skipOutOfScopeDeletions: reader.boolean("entraSkipOutOfScopeDeletions", false),
    schema: {
      userMappings,
      userScopingFilters: readScopingFilters(config, reader, "entraUserScopingFilters"),
      provisionGroups,
      groupMappings,
      groupScopingFilters: readScopingFilters(config, reader, "entraGroupScopingFilters"),
    },
    provisioningOn: provisioning === "on",
    restartTrigger: reader.string("entraRestartTrigger", ""),
    waitForFirstCycle,
    firstCycleTimeoutSeconds: reader.integer("entraFirstCycleTimeoutMinutes", { min: 1, max: 240 }, 45) * 60,
    provisionOnDemandUsers: onDemandUsers,
    permanentlyDeleteOnDestroy: reader.boolean("entraPermanentDelete", false),
  };
  if (!sharedReader) reader.throwIfInvalid();
  return result;
}

type Bag = Record<string, unknown>;

/** A list of objects from a JSON string (a YAML list written in the stack file arrives as JSON too). */
function objectList(config: pulumi.Config, reader: ConfigReader, key: string): Bag[] | undefined {
  const raw = config.get(key);
  if (raw === undefined || raw.trim() === "") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    reader.fail(
      key,
      `is not valid JSON; set it like \`pulumi config set ${reader.key(key)} '[{...}]'\` (see README, Entra provisioning)`,
    );
    return undefined;
  }
  if (
    !Array.isArray(value) ||
    !value.every((item) => item && typeof item === "object" && !Array.isArray(item))
  ) {
    reader.fail(key, "must be a list of objects (see README, Entra provisioning)");
    return undefined;
  }
  return value as Bag[];
}

function checkKnownFields(reader: ConfigReader, key: string, item: Bag, known: readonly string[]): void {
  for (const field of Object.keys(item)) {
    if (!known.includes(field)) reader.fail(key, `has unknown field "${field}" (known: ${known.join(", ")})`);
  }
}

function optionalString(reader: ConfigReader, key: string, item: Bag, field: string): string | undefined {
  const value = item[field];
  if (value === undefined) return undefined;
  if (typeof value !== "string") {
    reader.fail(`${key}.${field}`, `must be a string (got ${JSON.stringify(value)})`);
    return undefined;
  }
  return value;
}

function requiredString(reader: ConfigReader, key: string, item: Bag, field: string): string {
  const value = optionalString(reader, key, item, field);
  if (value === undefined || value.trim() === "") {
    reader.fail(`${key}.${field}`, "is required");
    return "";
  }
  return value;
}

function readMappings(
  config: pulumi.Config,
  reader: ConfigReader,
  key: string,
  defaults: readonly AttributeMappingSpec[],
): readonly AttributeMappingSpec[] {
  const list = objectList(config, reader, key);
  if (list === undefined) return defaults;
  const mappings = list.map((item, index): AttributeMappingSpec => {
    const at = `${key}[${index}]`;
    checkKnownFields(reader, at, item, [
      "target",
      "source",
      "constant",
      "expression",
      "matchingPrecedence",
      "apply",
      "defaultValue",
    ]);
    const kinds = ["source", "constant", "expression"].filter((field) => item[field] !== undefined);
    if (kinds.length !== 1) {
      reader.fail(
        at,
        `needs exactly one of source (direct), constant or expression (got ${kinds.join(", ") || "none"})`,
      );
    }
    const precedence = item.matchingPrecedence;
    if (precedence !== undefined && !(Number.isInteger(precedence) && (precedence as number) >= 1)) {
      reader.fail(
        `${at}.matchingPrecedence`,
        `must be a whole number from 1 (got ${JSON.stringify(precedence)})`,
      );
    }
    if (item.apply !== undefined && item.apply !== "always" && item.apply !== "onCreate") {
      reader.fail(`${at}.apply`, `must be "always" or "onCreate" (got ${JSON.stringify(item.apply)})`);
    }
    return {
      target: requiredString(reader, at, item, "target"),
      source: optionalString(reader, at, item, "source"),
      constant: optionalString(reader, at, item, "constant"),
      expression: optionalString(reader, at, item, "expression"),
      matchingPrecedence: typeof precedence === "number" ? precedence : undefined,
      apply: item.apply as AttributeMappingSpec["apply"],
      defaultValue: optionalString(reader, at, item, "defaultValue"),
    };
  });
  const targets = mappings.map((mapping) => mapping.target);
  const duplicate = targets.find((target, index) => targets.indexOf(target) !== index);
  if (duplicate) reader.fail(key, `maps "${duplicate}" twice; each target attribute takes one mapping`);
  const precedences = mappings.flatMap((mapping) =>
    mapping.matchingPrecedence ? [mapping.matchingPrecedence] : [],
  );
  if (precedences.length === 0) {
    reader.fail(
      key,
      "needs one mapping with matchingPrecedence: 1 (Entra matches existing objects with it, e.g. userName)",
    );
  } else if (new Set(precedences).size !== precedences.length) {
    reader.fail(
      key,
      "uses the same matchingPrecedence twice; give each matching attribute its own rank (1, 2, …)",
    );
  }
  // Drop undefined fields so the specs compare and serialise cleanly.
  return mappings.map(
    (mapping) => Object.fromEntries(Object.entries(mapping).filter(([, v]) => v !== undefined)) as never,
  );
}

function readScopingFilters(
  config: pulumi.Config,
  reader: ConfigReader,
  key: string,
): readonly ScopingFilterSpec[] {
  const list = objectList(config, reader, key) ?? [];
  return list.map((item, index) => {
    const at = `${key}[${index}]`;
    checkKnownFields(reader, at, item, ["name", "clauses"]);
    const clauses = Array.isArray(item.clauses) ? (item.clauses as Bag[]) : [];
    if (clauses.length === 0)
      reader.fail(`${at}.clauses`, "must list at least one clause ({ attribute, operator, values })");
    const name = optionalString(reader, at, item, "name");
    return {
      ...(name === undefined ? {} : { name }),
      clauses: clauses.map((clause, clauseIndex) => {
        const clauseAt = `${at}.clauses[${clauseIndex}]`;
        checkKnownFields(reader, clauseAt, clause, ["attribute", "operator", "values"]);
        const values = clause.values ?? [];
        if (!Array.isArray(values) || !values.every((value) => typeof value === "string")) {
          reader.fail(`${clauseAt}.values`, "must be a list of strings");
        }
        return {
          attribute: requiredString(reader, clauseAt, clause, "attribute"),
          operator: requiredString(reader, clauseAt, clause, "operator"),
          values: Array.isArray(values) ? values.map(String) : [],
        };
      }),
    };
  });
}

function readAppRoles(config: pulumi.Config, reader: ConfigReader): readonly AppRoleSpec[] {
  const key = "entraAppRoles";
  const roles = (objectList(config, reader, key) ?? []).map((item, index): AppRoleSpec => {
    const at = `${key}[${index}]`;
    checkKnownFields(reader, at, item, ["value", "displayName", "description", "allowedMemberTypes"]);
    const value = requiredString(reader, at, item, "value");
    if (/\s/.test(value)) reader.fail(`${at}.value`, `must not contain spaces (got "${value}")`);
    if (TEMPLATE_ROLES.includes(value))
      reader.fail(`${at}.value`, `"${value}" is the template's own role; choose another value`);
    const types = item.allowedMemberTypes ?? ["User"];
    if (
      !Array.isArray(types) ||
      types.length === 0 ||
      !types.every((t) => t === "User" || t === "Application")
    ) {
      reader.fail(`${at}.allowedMemberTypes`, 'must list "User" and/or "Application"');
    }
    const description = optionalString(reader, at, item, "description");
    return {
      value,
      displayName: requiredString(reader, at, item, "displayName"),
      ...(description === undefined ? {} : { description }),
      allowedMemberTypes: Array.isArray(types) ? (types as AppRoleSpec["allowedMemberTypes"]) : ["User"],
    };
  });
  const values = roles.map((role) => role.value);
  const duplicate = values.find((value, index) => values.indexOf(value) !== index);
  if (duplicate) reader.fail(key, `declares the role "${duplicate}" twice`);
  return roles;
}

function readAssignments(
  config: pulumi.Config,
  reader: ConfigReader,
  roles: readonly AppRoleSpec[],
): readonly AssignmentSpec[] {
  const key = "entraAssignments";
  const known = [
    ...TEMPLATE_ROLES,
    ...roles.map((role) => role.value),
    ...roles.map((role) => role.displayName),
  ];
  return (objectList(config, reader, key) ?? []).map((item, index) => {
    const at = `${key}[${index}]`;
    checkKnownFields(reader, at, item, ["user", "group", "role"]);
    const user = optionalString(reader, at, item, "user");
    const group = optionalString(reader, at, item, "group");
    if ((user === undefined) === (group === undefined)) {
      reader.fail(at, "needs exactly one of user (object id or UPN) or group (object id or display name)");
    }
    const role = optionalString(reader, at, item, "role");
    if (role !== undefined && !known.includes(role)) {
      reader.fail(
        `${at}.role`,
        `"${role}" is not a role of the app; use one of ${[...new Set(known)].join(", ")}`,
      );
    }
    return {
      ...(user === undefined ? {} : { user }),
      ...(group === undefined ? {} : { group }),
      ...(role === undefined ? {} : { role }),
    };
  });
}
