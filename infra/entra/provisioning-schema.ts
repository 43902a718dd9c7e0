/**
 * The managed part of a provisioning job's schema, and how to get from what Graph has to what config
 * declares. Graph only accepts the WHOLE schema back (PUT; PATCH answers 404), so `applyDesiredSchema`
 * edits a copy of the GET result and keeps rule ids, directories and everything it does not manage.
 */

import { normalizeOperatorName } from "./filter-operators";
import type { AttributeMappingSpec, ScopingFilterSpec } from "./mapping-types";
import { buildScopingFilter } from "./scoping-filter";

// biome-ignore lint/suspicious/noExplicitAny: Graph JSON is edited structurally.
type GraphJson = any;

export interface DesiredProvisioningSchema {
  readonly userMappings: readonly AttributeMappingSpec[];
  readonly userScopingFilters: readonly ScopingFilterSpec[];
  readonly provisionGroups: boolean;
  readonly groupMappings: readonly AttributeMappingSpec[];
  readonly groupScopingFilters: readonly ScopingFilterSpec[];
}

/** A comparable view: what `read` reports and what `diff` compares with config. */
export interface MappingView {
  readonly target: string;
  readonly type: "Attribute" | "Constant" | "Function";
  /** Attribute name, constant value, or the expression without insignificant spaces. */
  readonly value: string;
  readonly matchingPriority: number;
  readonly flowType: string;
  readonly defaultValue: string | null;
}

export interface ClauseView {
  readonly attribute: string;
  /** Normalised operator name (no case, spaces, underscores). */
  readonly operator: string;
  readonly values: readonly string[];
}

export interface ObjectMappingView {
  readonly enabled: boolean;
  readonly mappings: readonly MappingView[];
  /** Filters (ORed) of clauses (ANDed). */
  readonly scope: readonly (readonly ClauseView[])[];
}

export interface ProvisioningSchemaView {
  readonly users: ObjectMappingView;
  readonly groups: ObjectMappingView;
}

/** Removes spaces outside string literals: `Join(" ", [a])` ≡ `Join(" ",[a])`. */
export function normalizeExpression(expression: string): string {
  let result = "";
  let inString = false;
  for (let index = 0; index < expression.length; index++) {
    const char = expression[index];
    if (char === '"' && expression[index - 1] !== "\\") inString = !inString;
    if (!inString && /\s/.test(char)) continue;
    result += char;
  }
  return result;
}

export function specToView(spec: AttributeMappingSpec): MappingView {
  const type =
    spec.expression !== undefined ? "Function" : spec.constant !== undefined ? "Constant" : "Attribute";
  const value =
    type === "Function"
      ? normalizeExpression(spec.expression!)
      : type === "Constant"
        ? spec.constant!
        : spec.source!;
  return {
    target: spec.target,
    type,
    value,
    matchingPriority: spec.matchingPrecedence ?? 0,
    flowType: spec.apply === "onCreate" ? "ObjectAddOnly" : "Always",
    // "" and null both mean "no default"; Graph is not consistent about which it answers.
    defaultValue: spec.defaultValue || null,
  };
}

function renderSource(source: GraphJson): string {
  if (!source) return "";
  if (source.type === "Attribute") return `[${source.name}]`;
  if (source.type === "Constant") return source.name === "" ? "" : JSON.stringify(source.name ?? "");
  const parameters = (source.parameters ?? []).map((parameter: GraphJson) => renderSource(parameter.value));
  return `${source.name}(${parameters.join(",")})`;
}

export function graphMappingToView(mapping: GraphJson): MappingView {
  const source = mapping.source ?? {};
  const type = (source.type ?? "Attribute") as MappingView["type"];
  const value =
    type === "Function"
      ? normalizeExpression(source.expression ?? renderSource(source))
      : String(source.name ?? source.expression ?? "");
  return {
    target: String(mapping.targetAttributeName ?? ""),
    type,
    value,
    matchingPriority: Number(mapping.matchingPriority ?? 0),
    flowType: String(mapping.flowType ?? "Always"),
    defaultValue: mapping.defaultValue || null,
  };
}

const byTarget = (a: MappingView, b: MappingView) => a.target.localeCompare(b.target);

function scopeToView(scope: GraphJson): ClauseView[][] {
  return ((scope?.groups ?? []) as GraphJson[]).map((group) =>
    ((group.clauses ?? []) as GraphJson[]).map((clause) => ({
      attribute: String(clause.sourceOperandName ?? ""),
      operator: normalizeOperatorName(String(clause.operatorName ?? "")),
      values: [...(clause.targetOperand?.values ?? [])],
    })),
  );
}

function filtersToView(filters: readonly ScopingFilterSpec[]): ClauseView[][] {
  return filters.map((filter) =>
    filter.clauses.map((clause) => ({
      attribute: clause.attribute,
      operator: normalizeOperatorName(clause.operator),
      values: [...(clause.values ?? [])],
    })),
  );
}

export function desiredView(desired: DesiredProvisioningSchema): ProvisioningSchemaView {
  return {
    users: {
      enabled: true,
      mappings: desired.userMappings.map(specToView).sort(byTarget),
      scope: filtersToView(desired.userScopingFilters),
    },
    groups: {
      enabled: desired.provisionGroups,
      mappings: desired.groupMappings.map(specToView).sort(byTarget),
      scope: filtersToView(desired.groupScopingFilters),
    },
  };
}

interface LocatedMappings {
  rule: GraphJson;
  users: GraphJson;
  groups: GraphJson | undefined;
}

/** The rule and object mappings that provision users and groups to the SCIM app. */
function locate(schema: GraphJson): LocatedMappings {
  for (const rule of schema?.synchronizationRules ?? []) {
    const users = (rule.objectMappings ?? []).find(
      (mapping: GraphJson) => mapping.sourceObjectName === "User",
    );
    if (users) {
      const groups = (rule.objectMappings ?? []).find(
        (mapping: GraphJson) => mapping.sourceObjectName === "Group",
      );
      return { rule, users, groups };
    }
  }
  throw new Error(
    "The provisioning job's schema has no rule that provisions Users: is this a SCIM provisioning job?",
  );
}

export function observedView(schema: GraphJson): ProvisioningSchemaView {
  const { users, groups } = locate(schema);
  const view = (mapping: GraphJson | undefined): ObjectMappingView => ({
    enabled: mapping?.enabled === true,
    mappings: ((mapping?.attributeMappings ?? []) as GraphJson[]).map(graphMappingToView).sort(byTarget),
    scope: scopeToView(mapping?.scope),
  });
  return { users: view(users), groups: view(groups) };
}

/** Stable JSON so two views compare by content. */
export function viewsEqual(a: ProvisioningSchemaView, b: ProvisioningSchemaView): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The rule whose metadata says it supports provision on demand (its id is the on-demand ruleId). */
export function provisionOnDemandRuleId(schema: GraphJson): string {
  const rules = (schema?.synchronizationRules ?? []) as GraphJson[];
  const rule =
    rules.find((candidate) =>
      (candidate.metadata ?? []).some(
        (entry: GraphJson) =>
          entry.key === "supportsProvisionOnDemand" && String(entry.value).toLowerCase() === "true",
      ),
    ) ?? rules[0];
  if (!rule?.id) throw new Error("The provisioning job's schema has no rule to provision on demand.");
  return String(rule.id);
}

export interface SchemaResolution {
  /** Operator name as the service spells it, from a friendly name. */
  readonly resolveOperator: (friendly: string) => string;
  /** Parsed source tree for an expression (POST …/schema/parseExpression). */
  readonly parsedExpressions: ReadonlyMap<string, GraphJson>;
}

/** Expressions that need parsing to write `desired` (only those not already in place). */
export function expressionsToParse(desired: DesiredProvisioningSchema): string[] {
  return [...desired.userMappings, ...desired.groupMappings]
    .filter((spec) => spec.expression !== undefined)
    .map((spec) => spec.expression!);
}

/** A copy of `current` carrying the declared mappings, scope and group switch; everything else kept. */
export function applyDesiredSchema(
  current: GraphJson,
  desired: DesiredProvisioningSchema,
  resolution: SchemaResolution,
): GraphJson {
  const next = structuredClone(current);
  const { users, groups } = locate(next);
  validateAgainstDirectories(next, users, desired.userMappings);
  users.enabled = true;
  users.attributeMappings = buildMappings(users.attributeMappings ?? [], desired.userMappings, resolution);
  users.scope = buildScopingFilter(desired.userScopingFilters, resolution.resolveOperator);
  if (groups) {
    groups.enabled = desired.provisionGroups;
    validateAgainstDirectories(next, groups, desired.groupMappings);
    groups.attributeMappings = buildMappings(
      groups.attributeMappings ?? [],
      desired.groupMappings,
      resolution,
    );
    groups.scope = buildScopingFilter(desired.groupScopingFilters, resolution.resolveOperator);
  } else if (desired.provisionGroups) {
    throw new Error(
      "The provisioning job's schema has no Group mapping: this template cannot provision groups.",
    );
  }
  return next;
}

function buildMappings(
  existing: GraphJson[],
  specs: readonly AttributeMappingSpec[],
  resolution: SchemaResolution,
) {
  return specs.map((spec) => {
    const wanted = specToView(spec);
    const same = existing.find(
      (mapping) => JSON.stringify(graphMappingToView(mapping)) === JSON.stringify(wanted),
    );
    if (same) return same;
    return {
      defaultValue: wanted.defaultValue,
      exportMissingReferences: false,
      flowBehavior: "FlowWhenChanged",
      flowType: wanted.flowType,
      matchingPriority: wanted.matchingPriority,
      source: sourceFor(spec, resolution),
      targetAttributeName: spec.target,
    };
  });
}

function sourceFor(spec: AttributeMappingSpec, resolution: SchemaResolution): GraphJson {
  if (spec.expression !== undefined) {
    const parsed = resolution.parsedExpressions.get(spec.expression);
    if (!parsed) throw new Error(`Expression for ${spec.target} was not parsed: ${spec.expression}`);
    return { ...parsed, expression: spec.expression };
  }
  if (spec.constant !== undefined)
    return { expression: null, name: spec.constant, parameters: [], type: "Constant" };
  return { expression: null, name: spec.source, parameters: [], type: "Attribute" };
}

/** Fail before the PUT when a target or direct source is not in the job's directories, listing what is. */
function validateAgainstDirectories(
  schema: GraphJson,
  objectMapping: GraphJson,
  specs: readonly AttributeMappingSpec[],
) {
  const attributesOf = (objectName: string) => {
    for (const directory of schema.directories ?? []) {
      const object = (directory.objects ?? []).find((candidate: GraphJson) => candidate.name === objectName);
      if (object)
        return new Set<string>(
          (object.attributes ?? []).map((attribute: GraphJson) => String(attribute.name)),
        );
    }
    return undefined;
  };
  const targets = attributesOf(objectMapping.targetObjectName);
  const sources = attributesOf(objectMapping.sourceObjectName);
  for (const spec of specs) {
    if (targets && !targets.has(spec.target)) {
      throw new Error(
        `Mapping target "${spec.target}" is not an attribute of ${objectMapping.targetObjectName} in this job's schema. ` +
          `Known: ${[...targets].sort().join(", ")}.`,
      );
    }
    if (sources && spec.source !== undefined && !sources.has(spec.source)) {
      throw new Error(
        `Mapping source "${spec.source}" (for ${spec.target}) is not an attribute of ${objectMapping.sourceObjectName}. ` +
          `Known: ${[...sources].sort().join(", ")}.`,
      );
    }
  }
}
