/**
 * The provisioning job ("Provisioning Mode: Automatic"). Created Disabled by Graph; its templateId
 * comes from the app's synchronization templates (`default: true`, else `scim`). A job that already
 * exists (ids look like `scim.<tenant>.<appId>`) is reused rather than duplicated.
 *
 * Delete pauses then deletes the job; accounts already provisioned in the app stay as they are.
 */
import * as pulumi from "@pulumi/pulumi";
import { createGraphClient } from "../../graph/client";
import { isNotFound } from "../../graph/graph-error";

export interface ProvisioningJobInputs {
  readonly servicePrincipalId: string;
  readonly providerVersion: string;
  /** The national cloud's Graph root; SCIMKIT_GRAPH_ENDPOINT overrides it at deploy time. */
  readonly graphEndpoint?: string;
}

export interface ProvisioningJobOutputs extends ProvisioningJobInputs {
  readonly jobId: string;
  readonly templateId: string;
}

interface SynchronizationTemplate {
  id: string;
  default?: boolean;
}

export function chooseSynchronizationTemplate(templates: readonly SynchronizationTemplate[]): string {
  const chosen =
    templates.find((template) => template.default === true) ?? templates.find((t) => t.id === "scim");
  if (!chosen) {
    throw new Error(
      `The application offers no default or "scim" synchronization template (found: ${
        templates.map((t) => t.id).join(", ") || "none"
      }): it does not support automatic provisioning.`,
    );
  }
  return chosen.id;
}

const provisioningJobProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: ProvisioningJobInputs) {
    const graph = createGraphClient({ defaultEndpoint: inputs.graphEndpoint });
    const base = `/servicePrincipals/${inputs.servicePrincipalId}/synchronization`;
    const templates = await graph.list<SynchronizationTemplate>(`${base}/templates`, {
      mayLagReplication: true,
    });
    const templateId = chooseSynchronizationTemplate(templates);
    const jobs = await graph.list<{ id: string; templateId?: string }>(`${base}/jobs`, {
      mayLagReplication: true,
    });
    const existing = jobs.find((job) => job.templateId === templateId);
    const job =
      existing ??
      (await graph.post<{ id: string }>(`${base}/jobs`, { templateId }, { mayLagReplication: true }));
    // Graph can answer 404 on a job it just created; wait until it is readable.
    await graph.get(`${base}/jobs/${job.id}`, { mayLagReplication: true });
    const outs: ProvisioningJobOutputs = { ...inputs, jobId: job.id, templateId };
    return { id: job.id, outs };
  },

  async read(id: string, props: ProvisioningJobOutputs) {
    try {
      await createGraphClient({ defaultEndpoint: props.graphEndpoint }).get(
        `/servicePrincipals/${props.servicePrincipalId}/synchronization/jobs/${id}`,
      );
    } catch (error) {
      if (isNotFound(error)) return { id: "", props: {} };
      throw error;
    }
    return { id, props };
  },

  async diff(_id: string, olds: ProvisioningJobOutputs, news: ProvisioningJobInputs) {
    const replaces = olds.servicePrincipalId !== news.servicePrincipalId ? ["servicePrincipalId"] : [];
    return { changes: replaces.length > 0 || olds.providerVersion !== news.providerVersion, replaces };
  },

  async update(_id: string, olds: ProvisioningJobOutputs, news: ProvisioningJobInputs) {
    return { outs: { ...olds, ...news } };
  },

  async delete(id: string, props: ProvisioningJobOutputs) {
    const graph = createGraphClient({ defaultEndpoint: props.graphEndpoint });
    const jobPath = `/servicePrincipals/${props.servicePrincipalId}/synchronization/jobs/${id}`;
    try {
      const job = await graph.get<{ schedule?: { state?: string } }>(jobPath);
      if (job.schedule?.state === "Active") await graph.post(`${jobPath}/pause`, undefined);
      await graph.delete(jobPath);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  },
};

export const PROVISIONING_JOB_PROVIDER_VERSION = "1";

export class ProvisioningJob extends pulumi.dynamic.Resource {
  declare readonly jobId: pulumi.Output<string>;
  declare readonly templateId: pulumi.Output<string>;

  constructor(
    name: string,
    args: { servicePrincipalId: pulumi.Input<string>; graphEndpoint?: pulumi.Input<string> },
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(
      provisioningJobProvider,
      name,
      {
        ...args,
        providerVersion: PROVISIONING_JOB_PROVIDER_VERSION,
        jobId: undefined,
        templateId: undefined,
      },
      opts,
      "scimkit",
      "ProvisioningJob",
    );
  }
}

export { provisioningJobProvider };
