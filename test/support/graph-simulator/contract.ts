/**
 * The Graph contract the simulator enforces: ../shared/graph/graph-sync-openapi-subset.json (generated
 * from Microsoft's v1.0 CSDL). Every request body is validated strictly — unknown properties rejected —
 * and query parameters must be declared by the operation. Operations marked
 * `x-subset-source: csdl-official-but-broken` are flagged: the kit must never send them.
 *
 * When ../shared is absent (a checkout without the reference material) `loadGraphContract` returns
 * undefined and the simulator runs without the contract check (it says so once).
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

export const CONTRACT_PATH = resolve(__dirname, "../../../..", "shared/graph/graph-sync-openapi-subset.json");

export interface ContractOperation {
  readonly method: string;
  readonly pathTemplate: string;
  readonly operationId: string;
  readonly source: string;
  readonly queryParameters: ReadonlySet<string>;
  readonly validateBody?: ValidateFunction;
  /** The operation declares a request body (others must be sent without one). */
  readonly acceptsBody: boolean;
  /** Checks the simulator's own success answers, so it cannot drift from Graph's shapes. */
  readonly validateResponse?: ValidateFunction;
}

export interface GraphContract {
  /** Finds the operation for a concrete path ("/servicePrincipals/abc/synchronization/jobs"). */
  match(method: string, path: string): ContractOperation | undefined;
  /** The operation exists for some other method on this path. */
  knowsPath(path: string): boolean;
}

type JsonSchema = Record<string, unknown>;

export function loadGraphContract(path: string = CONTRACT_PATH): GraphContract | undefined {
  if (!existsSync(path)) return undefined;
  const document = JSON.parse(readFileSync(path, "utf8")) as {
    paths: Record<string, Record<string, JsonSchema>>;
    components: { schemas: Record<string, JsonSchema> };
  };
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const format of ["int32", "int64", "base64url", "duration", "uuid", "date-time"]) {
    if (!ajv.formats[format]) ajv.addFormat(format, true);
  }
  const schemas = strictSchemas(document.components.schemas);
  ajv.addSchema({ $id: "graph", components: { schemas } });

  const operations: Array<ContractOperation & { pattern: RegExp; parameterCount: number }> = [];
  for (const [pathTemplate, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      if (!["get", "post", "put", "patch", "delete"].includes(method)) continue;
      const parameters = (operation.parameters ?? []) as Array<{ name: string; in: string }>;
      const body = (operation.requestBody as { content?: Record<string, { schema: JsonSchema }> } | undefined)
        ?.content?.["application/json"]?.schema;
      const responses = (operation.responses ?? {}) as Record<
        string,
        { content?: Record<string, { schema: JsonSchema }> }
      >;
      const success = (responses["200"] ?? responses["201"])?.content?.["application/json"]?.schema;
      operations.push({
        method: method.toUpperCase(),
        pathTemplate,
        operationId: String(operation.operationId),
        source: String(operation["x-subset-source"] ?? ""),
        queryParameters: new Set(parameters.filter((p) => p.in === "query").map((p) => p.name)),
        validateBody: body ? ajv.compile(rewriteRefs(strictify(body))) : undefined,
        acceptsBody: body !== undefined,
        validateResponse: success ? ajv.compile(rewriteRefs(strictify(success))) : undefined,
        pattern: templateToPattern(pathTemplate),
        parameterCount: (pathTemplate.match(/\{/g) ?? []).length,
      });
    }
  }
  // Literal segments win over parameters: POST /jobs/validateCredentials is not /jobs/{id}.
  operations.sort((a, b) => a.parameterCount - b.parameterCount);
  return {
    match: (method, path) => operations.find((op) => op.method === method && op.pattern.test(path)),
    knowsPath: (path) => operations.some((op) => op.pattern.test(path)),
  };
}

export function formatAjvErrors(validate: ValidateFunction): string {
  return (validate.errors ?? [])
    .slice(0, 5)
    .map((error) => {
      const extra =
        error.keyword === "additionalProperties"
          ? ` (${(error.params as { additionalProperty: string }).additionalProperty})`
          : "";
      return `${error.instancePath || "(body)"} ${error.message}${extra}`;
    })
    .join("; ");
}

function templateToPattern(template: string): RegExp {
  const escaped = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith("{") ? "([^/]+)" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${escaped}$`);
}

/** allOf [ $ref base, own ] → one object schema, so `additionalProperties: false` sees every property. */
function strictSchemas(components: Record<string, JsonSchema>): Record<string, JsonSchema> {
  const flattened = new Map<string, JsonSchema>();
  const flatten = (name: string): JsonSchema => {
    const cached = flattened.get(name);
    if (cached) return cached;
    const schema = components[name];
    if (!schema) throw new Error(`contract: unknown schema ${name}`);
    let result: JsonSchema = schema;
    if (Array.isArray(schema.allOf)) {
      const properties: Record<string, JsonSchema> = {};
      for (const part of schema.allOf as JsonSchema[]) {
        const resolved = typeof part.$ref === "string" ? flatten(refName(part.$ref)) : part;
        Object.assign(properties, (resolved.properties ?? {}) as Record<string, JsonSchema>);
      }
      result = { type: "object", properties };
    }
    flattened.set(name, result);
    return result;
  };
  const strict: Record<string, JsonSchema> = {};
  for (const name of Object.keys(components)) strict[name] = strictify(flatten(name));
  return strict;
}

function refName(ref: string): string {
  return ref.replace("#/components/schemas/", "");
}

/** Every object schema with declared properties rejects unknown ones. */
function strictify(schema: unknown): JsonSchema {
  if (Array.isArray(schema)) return schema.map(strictify) as never;
  if (!schema || typeof schema !== "object") return schema as JsonSchema;
  const copy: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    copy[key] = key === "enum" || key === "required" ? value : strictify(value);
  }
  if (copy.properties && copy.additionalProperties === undefined) copy.additionalProperties = false;
  // OpenAPI 3.0 `nullable` without `type` (oneOf number|string in applicationRiskScore): Ajv needs a type.
  if (copy.nullable === true && copy.type === undefined) {
    const { nullable: _nullable, ...rest } = copy;
    return { anyOf: [rest, { type: "null" }] };
  }
  return copy;
}

function rewriteRefs(schema: unknown): JsonSchema {
  if (Array.isArray(schema)) return schema.map(rewriteRefs) as never;
  if (!schema || typeof schema !== "object") return schema as JsonSchema;
  const copy: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    copy[key] = key === "$ref" && typeof value === "string" ? `graph${value}` : rewriteRefs(value);
  }
  return copy;
}

export function contractAbsentNote(): string {
  return `graph contract check skipped: ${join("..", "shared", "graph", "graph-sync-openapi-subset.json")} not found`;
}
