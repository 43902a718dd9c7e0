/**
 * The Pulumi dynamic provider behind trial mode. Create and update run `applyTrial` (find-or-create,
 * so a re-run after a partial failure converges); delete removes the test objects and, when
 * `purgeOnDestroy`, purges them from deleted items. Graph access is infra/graph's client, configured
 * from the environment at call time (SCIMKIT_GRAPH_ENDPOINT / SCIMKIT_GRAPH_TOKEN / DefaultAzureCredential).
 * The SCIM token arrives as a secret input and is never echoed into outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { createGraphClient } from "../graph/client";
import { createOnDemandRateLimiter } from "./on-demand-rate-limiter";
import { removeTrialObjects } from "./trial-directory";
import { planTrial } from "./trial-plan";
import { applyTrial, type TrialInputs, type TrialReport } from "./trial-run";

/** Bump when the provider's behaviour changes, so existing stacks re-run it (Pulumi can't see code changes). */
export const TRIAL_PROVIDER_VERSION = 1;

type StoredInputs = TrialInputs & { readonly providerVersion: number };
type StoredOutputs = Omit<StoredInputs, "scimToken"> & { readonly report: TrialReport };

/** Inputs whose change means other objects: the old ones are removed first. */
const REPLACE_ON_CHANGE = ["stack", "domain", "servicePrincipalId", "jobId"] as const;

function outputsOf(inputs: StoredInputs, report: TrialReport): StoredOutputs {
  const { scimToken: _secret, ...visible } = inputs;
  return { ...visible, report };
}

export const trialProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds, news) {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    if (!Number.isInteger(news.userCount) || news.userCount < 1 || news.userCount > 20) {
      failures.push({
        property: "userCount",
        reason: `must be a whole number from 1 to 20 (got ${news.userCount})`,
      });
    }
    if (typeof news.domain !== "string" || !/^[a-z0-9.-]+\.[a-z]{2,}$/i.test(news.domain)) {
      failures.push({
        property: "domain",
        reason: `must be a verified domain of the tenant (got "${news.domain}")`,
      });
    }
    return { inputs: news, failures };
  },

  async diff(_id, olds: StoredOutputs, news: StoredInputs) {
    const replaces = REPLACE_ON_CHANGE.filter((key) => olds[key] !== news[key]);
    const changed =
      replaces.length > 0 ||
      olds.userCount !== news.userCount ||
      olds.scimBaseUrl !== news.scimBaseUrl ||
      olds.purgeOnDestroy !== news.purgeOnDestroy ||
      olds.providerVersion !== news.providerVersion ||
      // A refresh found test objects missing: recreate them.
      olds.report.users.length !== olds.userCount ||
      !olds.report.group;
    return { changes: changed, replaces: [...replaces], deleteBeforeReplace: true };
  },

  async create(inputs: StoredInputs) {
    const report = await applyTrial(createGraphClient(), createOnDemandRateLimiter(), inputs, planTrial);
    return { id: `scimkit-trial-${inputs.stack}`, outs: outputsOf(inputs, report) };
  },

  async update(_id, olds: StoredOutputs, news: StoredInputs) {
    const graph = createGraphClient();
    // Fewer users than before: remove the surplus ones (they are the highest-numbered).
    const surplus = olds.report.users.slice(news.userCount);
    if (surplus.length > 0) {
      await removeTrialObjects(graph, olds.servicePrincipalId, { users: surplus }, olds.purgeOnDestroy);
    }
    const report = await applyTrial(graph, createOnDemandRateLimiter(), news, planTrial);
    return { outs: outputsOf(news, report) };
  },

  async read(id, props: StoredOutputs) {
    // Refresh: drop test objects deleted behind Pulumi's back, so the next `up` recreates them.
    const graph = createGraphClient();
    const exists = async (path: string) => {
      try {
        await graph.get(path);
        return true;
      } catch (error) {
        if ((error as { status?: number }).status === 404) return false;
        throw error;
      }
    };
    const users = [];
    for (const user of props.report.users) if (await exists(`/users/${user.id}`)) users.push(user);
    const group =
      props.report.group && (await exists(`/groups/${props.report.group.id}`))
        ? props.report.group
        : undefined;
    return { id, props: { ...props, report: { ...props.report, users, group } } };
  },

  async delete(_id, props: StoredOutputs) {
    await removeTrialObjects(
      createGraphClient(),
      props.servicePrincipalId,
      props.report,
      props.purgeOnDestroy,
    );
  },
};

export interface TrialUsersArgs {
  readonly stack: pulumi.Input<string>;
  readonly domain: pulumi.Input<string>;
  readonly userCount: pulumi.Input<number>;
  readonly servicePrincipalId: pulumi.Input<string>;
  readonly jobId: pulumi.Input<string>;
  readonly scimBaseUrl: pulumi.Input<string>;
  readonly scimToken: pulumi.Input<string>;
  readonly purgeOnDestroy: pulumi.Input<boolean>;
  readonly appRoleId?: pulumi.Input<string>;
}

/** The test users and group of one stack, provisioned on demand and checked in the SCIM service. */
export class TrialUsers extends pulumi.dynamic.Resource {
  declare readonly report: pulumi.Output<TrialReport>;

  constructor(name: string, args: TrialUsersArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      trialProvider,
      name,
      {
        ...args,
        scimToken: pulumi.secret(args.scimToken),
        providerVersion: TRIAL_PROVIDER_VERSION,
        report: undefined,
      },
      opts,
      "scimkit",
      "TrialUsers",
    );
  }
}
