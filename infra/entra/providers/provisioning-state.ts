/**
 * Provisioning status On/Off (start/pause), the optional restart trigger, the optional wait for the
 * first cycle (fail or warn on quarantine) and the optional provision-on-demand smoke test.
 *
 * The component makes this resource depend on the credentials (which passed Test Connection), the
 * schema and the assignments, so the job is never started before they are in place. Start is only
 * called when the job is not Active (../shared/docs/graph-provisioning.md, "Provisioning status").
 */
import * as pulumi from "@pulumi/pulumi";
import { createGraphClient, type GraphClient } from "../../graph/client";
import { isNotFound } from "../../graph/graph-error";
import { resolveUserId } from "../principals";
import { firstCycleOutcome, type JobSnapshot, onDemandResult } from "../provisioning-health";
import { provisionOnDemandRuleId } from "../provisioning-schema";

export interface ProvisioningStateInputs {
  readonly servicePrincipalId: string;
  readonly jobId: string;
  /** Provisioning Status: On (true) or Off (false). */
  readonly enabled: boolean;
  /** Any new value restarts the job (clears escrows, watermark and quarantine). */
  readonly restartTrigger: string;
  readonly waitForFirstCycle: "off" | "warn" | "fail";
  readonly firstCycleTimeoutSeconds: number;
  readonly pollIntervalSeconds: number;
  /** Users (UPN or id) provisioned on demand after start as a smoke test. */
  readonly onDemandUsers: readonly string[];
  readonly providerVersion: string;
  /** The national cloud's Graph root; SCIMKIT_GRAPH_ENDPOINT overrides it at deploy time. */
  readonly graphEndpoint?: string;
}

export interface ProvisioningStateOutputs extends ProvisioningStateInputs {
  readonly statusCode: string;
  /** Quarantine or first-cycle problem, empty when healthy. */
  readonly health: string;
}

const RESTART_SCOPE = "Watermark, Escrows, QuarantineState";

/**
 * Warns through the engine. `@pulumi/pulumi` is required here, not captured from the module scope: a
 * captured module object is serialized by value with the runtime's config — secrets included.
 */
function warn(message: string) {
  (require("@pulumi/pulumi") as typeof import("@pulumi/pulumi")).log.warn(message);
}

async function waitForFirstCycle(graph: GraphClient, jobPath: string, inputs: ProvisioningStateInputs) {
  const deadline = Date.now() + inputs.firstCycleTimeoutSeconds * 1000;
  for (;;) {
    const outcome = firstCycleOutcome(await graph.get<JobSnapshot>(jobPath));
    if (outcome.kind === "succeeded") return "";
    if (outcome.kind !== "pending") {
      if (inputs.waitForFirstCycle === "fail") throw new Error(outcome.message);
      warn(outcome.message);
      return outcome.message;
    }
    if (Date.now() >= deadline) {
      const message = `The first provisioning cycle had not finished after ${inputs.firstCycleTimeoutSeconds} s; check "scimkit status".`;
      if (inputs.waitForFirstCycle === "fail") throw new Error(message);
      warn(message);
      return message;
    }
    await new Promise((resolve) => setTimeout(resolve, inputs.pollIntervalSeconds * 1000));
  }
}

async function provisionOnDemand(graph: GraphClient, jobPath: string, users: readonly string[]) {
  if (users.length === 0) return;
  const ruleId = provisionOnDemandRuleId(await graph.get(`${jobPath}/schema`));
  for (const user of users) {
    const objectId = await resolveUserId(graph, user);
    const response = await graph.post<{ key?: string; value?: string }>(`${jobPath}/provisionOnDemand`, {
      parameters: [{ ruleId, subjects: [{ objectId, objectTypeName: "User" }] }],
    });
    const { result, detail } = onDemandResult(response);
    if (result !== "Success") {
      throw new Error(
        `Provision on demand of ${user} ended with ${result}${detail ? ` (${detail})` : ""}: ` +
          "is the user assigned to the app and inside the scoping filters?",
      );
    }
  }
}

async function reconcile(inputs: ProvisioningStateInputs, previousTrigger: string | undefined) {
  const graph = createGraphClient({ defaultEndpoint: inputs.graphEndpoint });
  const jobPath = `/servicePrincipals/${inputs.servicePrincipalId}/synchronization/jobs/${inputs.jobId}`;
  let job = await graph.get<JobSnapshot>(jobPath, { mayLagReplication: true });
  let health = "";
  if (inputs.enabled) {
    if (previousTrigger !== undefined && previousTrigger !== inputs.restartTrigger) {
      await graph.post(`${jobPath}/restart`, { criteria: { resetScope: RESTART_SCOPE } });
    }
    if (job.schedule?.state !== "Active") await graph.post(`${jobPath}/start`, undefined);
    if (inputs.waitForFirstCycle !== "off") health = await waitForFirstCycle(graph, jobPath, inputs);
    await provisionOnDemand(graph, jobPath, inputs.onDemandUsers);
  } else if (job.schedule?.state === "Active") {
    await graph.post(`${jobPath}/pause`, undefined);
  }
  job = await graph.get<JobSnapshot>(jobPath);
  const outs: ProvisioningStateOutputs = { ...inputs, statusCode: job.status?.code ?? "Unknown", health };
  return outs;
}

const provisioningStateProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: ProvisioningStateInputs) {
    return { id: `${inputs.jobId}/state`, outs: await reconcile(inputs, undefined) };
  },

  async read(id: string, props: ProvisioningStateOutputs) {
    let job: JobSnapshot;
    try {
      job = await createGraphClient({ defaultEndpoint: props.graphEndpoint }).get<JobSnapshot>(
        `/servicePrincipals/${props.servicePrincipalId}/synchronization/jobs/${props.jobId}`,
      );
    } catch (error) {
      if (isNotFound(error)) return { id: "", props: {} };
      throw error;
    }
    const outcome = firstCycleOutcome(job);
    return {
      id,
      props: {
        ...props,
        enabled: job.schedule?.state === "Active",
        statusCode: job.status?.code ?? "Unknown",
        health: outcome.kind === "quarantined" || outcome.kind === "failed" ? outcome.message : "",
      },
    };
  },

  async diff(_id: string, olds: ProvisioningStateOutputs, news: ProvisioningStateInputs) {
    const fields = [
      "enabled",
      "restartTrigger",
      "waitForFirstCycle",
      "firstCycleTimeoutSeconds",
      "pollIntervalSeconds",
      "providerVersion",
      "servicePrincipalId",
      "jobId",
    ] as const;
    const changed = fields.filter((field) => olds[field] !== news[field]);
    const usersChanged = JSON.stringify(olds.onDemandUsers) !== JSON.stringify(news.onDemandUsers);
    return { changes: changed.length > 0 || usersChanged };
  },

  async update(_id: string, olds: ProvisioningStateOutputs, news: ProvisioningStateInputs) {
    return { outs: await reconcile(news, olds.restartTrigger) };
  },

  async delete() {
    // Pausing and deleting belong to the job's own delete, which runs right after this one.
  },
};

export interface ProvisioningStateArgs {
  /** The national cloud's Graph root (SCIMKIT_GRAPH_ENDPOINT overrides it at deploy time). */
  readonly graphEndpoint?: pulumi.Input<string>;
  readonly servicePrincipalId: pulumi.Input<string>;
  readonly jobId: pulumi.Input<string>;
  readonly enabled: pulumi.Input<boolean>;
  readonly restartTrigger: pulumi.Input<string>;
  readonly waitForFirstCycle: pulumi.Input<"off" | "warn" | "fail">;
  readonly firstCycleTimeoutSeconds: pulumi.Input<number>;
  readonly pollIntervalSeconds?: pulumi.Input<number>;
  readonly onDemandUsers: pulumi.Input<readonly string[]>;
}

export const PROVISIONING_STATE_PROVIDER_VERSION = "1";

export class ProvisioningState extends pulumi.dynamic.Resource {
  declare readonly enabled: pulumi.Output<boolean>;
  declare readonly statusCode: pulumi.Output<string>;
  declare readonly health: pulumi.Output<string>;

  constructor(name: string, args: ProvisioningStateArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      provisioningStateProvider,
      name,
      {
        ...args,
        pollIntervalSeconds: args.pollIntervalSeconds ?? 30,
        providerVersion: PROVISIONING_STATE_PROVIDER_VERSION,
        statusCode: undefined,
        health: undefined,
      },
      opts,
      "scimkit",
      "ProvisioningState",
    );
  }
}

export { provisioningStateProvider };
