/**
 * Admin credentials, notification email, scope (SyncAll) and skip-out-of-scope-deletions: one
 * PUT …/synchronization/secrets with the complete set, after Test Connection (validateCredentials)
 * passed with the same tenant URL and token. A failed Test Connection fails the deployment with
 * Entra's message (which echoes what the SCIM endpoint answered).
 *
 * GET answers masked values, so drift is judged on presence: a key removed behind our back (or a job
 * reset) shows as a change; values are never read back into state. The token is a secret input and a
 * secret output (additionalSecretOutputs), never captured in the provider's code.
 */
import * as pulumi from "@pulumi/pulumi";
import { createGraphClient } from "../../graph/client";
import { GraphRequestError, isNotFound } from "../../graph/graph-error";
import {
  buildSynchronizationSecrets,
  CREDENTIAL_KEYS,
  type ProvisioningCredentialSettings,
  testConnectionCredentials,
} from "../synchronization-secrets";

export interface ProvisioningCredentialsInputs extends ProvisioningCredentialSettings {
  readonly servicePrincipalId: string;
  readonly jobId: string;
  readonly providerVersion: string;
  /** The national cloud's Graph root; SCIMKIT_GRAPH_ENDPOINT overrides it at deploy time. */
  readonly graphEndpoint?: string;
}

export interface ProvisioningCredentialsOutputs extends ProvisioningCredentialsInputs {
  /** Secret keys Graph reports as present (values are masked by Graph). */
  readonly presentKeys: readonly string[];
}

const SETTING_FIELDS = [
  "tenantUrl",
  "secretToken",
  "useAadOptscim062020",
  "notificationEmail",
  "notifyOnFailure",
  "deleteThresholdEnabled",
  "deleteThresholdValue",
  "syncAll",
  "skipOutOfScopeDeletions",
  "servicePrincipalId",
  "jobId",
  "providerVersion",
] as const;

async function testAndSave(inputs: ProvisioningCredentialsInputs): Promise<ProvisioningCredentialsOutputs> {
  const graph = createGraphClient({ defaultEndpoint: inputs.graphEndpoint });
  const base = `/servicePrincipals/${inputs.servicePrincipalId}/synchronization`;
  try {
    await graph.post(`${base}/jobs/${inputs.jobId}/validateCredentials`, {
      useSavedCredentials: false,
      credentials: testConnectionCredentials(inputs),
    });
  } catch (error) {
    if (error instanceof GraphRequestError) {
      throw new Error(
        `Test Connection to ${inputs.tenantUrl} failed; provisioning was not configured or started. Entra said: ${error.graphMessage}`,
      );
    }
    throw error;
  }
  await graph.put(`${base}/secrets`, { value: buildSynchronizationSecrets(inputs) });
  return { ...inputs, presentKeys: [...CREDENTIAL_KEYS].sort() };
}

const provisioningCredentialsProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: ProvisioningCredentialsInputs) {
    return { id: `${inputs.servicePrincipalId}/secrets`, outs: await testAndSave(inputs) };
  },

  async read(id: string, props: ProvisioningCredentialsOutputs) {
    let secrets: Array<{ key: string }>;
    try {
      secrets = await createGraphClient({ defaultEndpoint: props.graphEndpoint }).list(
        `/servicePrincipals/${props.servicePrincipalId}/synchronization/secrets`,
      );
    } catch (error) {
      if (isNotFound(error)) return { id: "", props: {} };
      throw error;
    }
    return { id, props: { ...props, presentKeys: secrets.map((secret) => secret.key).sort() } };
  },

  async diff(_id: string, olds: ProvisioningCredentialsOutputs, news: ProvisioningCredentialsInputs) {
    const changed = SETTING_FIELDS.filter((field) => olds[field] !== news[field]);
    const missing = CREDENTIAL_KEYS.some((key) => !(olds.presentKeys ?? []).includes(key));
    const replaces = olds.servicePrincipalId !== news.servicePrincipalId ? ["servicePrincipalId"] : [];
    return { changes: changed.length > 0 || missing || replaces.length > 0, replaces };
  },

  async update(_id: string, _olds: ProvisioningCredentialsOutputs, news: ProvisioningCredentialsInputs) {
    return { outs: await testAndSave(news) };
  },

  async delete() {
    // The secrets live on the service principal's synchronization and go with the job and the app.
  },
};

export interface ProvisioningCredentialsArgs {
  /** The national cloud's Graph root (SCIMKIT_GRAPH_ENDPOINT overrides it at deploy time). */
  readonly graphEndpoint?: pulumi.Input<string>;
  readonly servicePrincipalId: pulumi.Input<string>;
  readonly jobId: pulumi.Input<string>;
  readonly tenantUrl: pulumi.Input<string>;
  /** Pass a secret Output; it is also marked secret in outputs. */
  readonly secretToken: pulumi.Input<string>;
  readonly useAadOptscim062020: pulumi.Input<boolean>;
  readonly notificationEmail?: pulumi.Input<string>;
  readonly notifyOnFailure: pulumi.Input<boolean>;
  readonly deleteThresholdEnabled: pulumi.Input<boolean>;
  readonly deleteThresholdValue: pulumi.Input<number>;
  readonly syncAll: pulumi.Input<boolean>;
  readonly skipOutOfScopeDeletions: pulumi.Input<boolean>;
}

export const PROVISIONING_CREDENTIALS_PROVIDER_VERSION = "1";

export class ProvisioningCredentials extends pulumi.dynamic.Resource {
  declare readonly presentKeys: pulumi.Output<string[]>;

  constructor(name: string, args: ProvisioningCredentialsArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      provisioningCredentialsProvider,
      name,
      {
        ...args,
        secretToken: pulumi.secret(args.secretToken),
        providerVersion: PROVISIONING_CREDENTIALS_PROVIDER_VERSION,
        presentKeys: undefined,
      },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["secretToken"] }),
      "scimkit",
      "ProvisioningCredentials",
    );
  }
}

export { provisioningCredentialsProvider };
