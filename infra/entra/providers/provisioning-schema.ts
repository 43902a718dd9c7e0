/**
 * Attribute mappings, matching precedence, group provisioning and scoping filters: GET the job's
 * schema, compute the desired one, and PUT the WHOLE schema only when the managed part differs.
 * Never PATCH: the official OpenAPI and generated SDKs expose PATCH and the service answers 404
 * (../shared/docs/graph-provisioning.md). Any schema change makes Entra re-evaluate every object, so an
 * unchanged schema must cause no write at all.
 */
import * as pulumi from "@pulumi/pulumi";
import { createGraphClient, type GraphClient } from "../../graph/client";
import { isNotFound } from "../../graph/graph-error";
import { resolveOperatorName } from "../filter-operators";
import {
  applyDesiredSchema,
  type DesiredProvisioningSchema,
  desiredView,
  expressionsToParse,
  observedView,
  type ProvisioningSchemaView,
  viewsEqual,
} from "../provisioning-schema";

export interface ProvisioningSchemaInputs extends DesiredProvisioningSchema {
  readonly servicePrincipalId: string;
  readonly jobId: string;
  readonly providerVersion: string;
  /** The national cloud's Graph root; SCIMKIT_GRAPH_ENDPOINT overrides it at deploy time. */
  readonly graphEndpoint?: string;
}

export interface ProvisioningSchemaOutputs extends ProvisioningSchemaInputs {
  /** The managed part of the schema as Graph has it (refreshed by read). */
  readonly observed: ProvisioningSchemaView;
}

async function reconcile(
  graph: GraphClient,
  inputs: ProvisioningSchemaInputs,
): Promise<ProvisioningSchemaView> {
  const schemaPath = `/servicePrincipals/${inputs.servicePrincipalId}/synchronization/jobs/${inputs.jobId}/schema`;
  const current = await graph.get(schemaPath, { mayLagReplication: true });
  const wanted = desiredView(inputs);
  if (viewsEqual(observedView(current), wanted)) return wanted;

  const usesFilters = inputs.userScopingFilters.length > 0 || inputs.groupScopingFilters.length > 0;
  const offered = usesFilters
    ? (await graph.list<{ id?: string; name?: string }>(`${schemaPath}/filterOperators()`)).map(
        (operator) => operator.name ?? operator.id ?? "",
      )
    : [];
  const parsedExpressions = new Map<string, unknown>();
  for (const expression of expressionsToParse(inputs)) {
    const result = await graph.post<{
      parsingSucceeded?: boolean;
      parsedExpression?: unknown;
      error?: { message?: string } | null;
    }>(`${schemaPath}/parseExpression`, { expression });
    if (!result.parsingSucceeded || !result.parsedExpression) {
      throw new Error(
        `Entra could not parse the mapping expression ${expression}: ${result.error?.message ?? "no detail"}`,
      );
    }
    parsedExpressions.set(expression, result.parsedExpression);
  }
  const next = applyDesiredSchema(current, inputs, {
    resolveOperator: (friendly) => resolveOperatorName(friendly, offered),
    parsedExpressions,
  });
  await graph.put(schemaPath, next);
  return observedView(next);
}

const provisioningSchemaProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: ProvisioningSchemaInputs) {
    const observed = await reconcile(createGraphClient({ defaultEndpoint: inputs.graphEndpoint }), inputs);
    return { id: `${inputs.jobId}/schema`, outs: { ...inputs, observed } };
  },

  async read(id: string, props: ProvisioningSchemaOutputs) {
    let schema: unknown;
    try {
      schema = await createGraphClient({ defaultEndpoint: props.graphEndpoint }).get(
        `/servicePrincipals/${props.servicePrincipalId}/synchronization/jobs/${props.jobId}/schema`,
      );
    } catch (error) {
      if (isNotFound(error)) return { id: "", props: {} };
      throw error;
    }
    return { id, props: { ...props, observed: observedView(schema) } };
  },

  async diff(_id: string, olds: ProvisioningSchemaOutputs, news: ProvisioningSchemaInputs) {
    const replaces = olds.jobId !== news.jobId ? ["jobId"] : [];
    const changes =
      replaces.length > 0 ||
      olds.providerVersion !== news.providerVersion ||
      !viewsEqual(olds.observed, desiredView(news));
    return { changes, replaces };
  },

  async update(_id: string, _olds: ProvisioningSchemaOutputs, news: ProvisioningSchemaInputs) {
    const observed = await reconcile(createGraphClient({ defaultEndpoint: news.graphEndpoint }), news);
    return { outs: { ...news, observed } };
  },

  async delete() {
    // The schema belongs to the job; deleting the job removes it.
  },
};

export interface ProvisioningSchemaArgs {
  /** The national cloud's Graph root (SCIMKIT_GRAPH_ENDPOINT overrides it at deploy time). */
  readonly graphEndpoint?: pulumi.Input<string>;
  readonly servicePrincipalId: pulumi.Input<string>;
  readonly jobId: pulumi.Input<string>;
  readonly userMappings: pulumi.Input<DesiredProvisioningSchema["userMappings"]>;
  readonly userScopingFilters: pulumi.Input<DesiredProvisioningSchema["userScopingFilters"]>;
  readonly provisionGroups: pulumi.Input<boolean>;
  readonly groupMappings: pulumi.Input<DesiredProvisioningSchema["groupMappings"]>;
  readonly groupScopingFilters: pulumi.Input<DesiredProvisioningSchema["groupScopingFilters"]>;
}

export const PROVISIONING_SCHEMA_PROVIDER_VERSION = "1";

export class ProvisioningSchema extends pulumi.dynamic.Resource {
  declare readonly observed: pulumi.Output<ProvisioningSchemaView>;

  constructor(name: string, args: ProvisioningSchemaArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      provisioningSchemaProvider,
      name,
      { ...args, providerVersion: PROVISIONING_SCHEMA_PROVIDER_VERSION, observed: undefined },
      opts,
      "scimkit",
      "ProvisioningSchema",
    );
  }
}

export { provisioningSchemaProvider };
