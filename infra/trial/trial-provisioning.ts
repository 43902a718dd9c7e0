/**
 * Trial mode as a component: the stack's test users and group, provisioned on demand once Entra
 * provisioning is configured, and checked in the SCIM service. Its `report` output says, per user,
 * whether it was provisioned and arrived with the mapped attributes.
 */
import * as pulumi from "@pulumi/pulumi";
import { TrialUsers } from "./trial-provider";
import type { TrialReport } from "./trial-run";

export interface TrialProvisioningArgs {
  /** A verified domain of the tenant for the users' sign-in names. @example "contoso.onmicrosoft.com" */
  readonly domain: pulumi.Input<string>;
  /** @default 3 */
  readonly userCount?: pulumi.Input<number>;
  readonly servicePrincipalId: pulumi.Input<string>;
  readonly jobId: pulumi.Input<string>;
  /** The SCIM base URL Entra provisions into (the Tenant URL, without `?aadOptscim062020`). */
  readonly scimBaseUrl: pulumi.Input<string>;
  /** The bearer token of that SCIM service; kept secret. */
  readonly scimToken: pulumi.Input<string>;
  /** Delete the test objects from deleted items too on destroy. @default false */
  readonly purgeOnDestroy?: pulumi.Input<boolean>;
  /** The app role to assign. @default the non-gallery template's "User" role */
  readonly appRoleId?: pulumi.Input<string>;
}

export class TrialProvisioning extends pulumi.ComponentResource {
  declare readonly report: pulumi.Output<TrialReport>;

  constructor(name: string, args: TrialProvisioningArgs, opts?: pulumi.ComponentResourceOptions) {
    super("scimkit:trial:TrialProvisioning", name, {}, opts);
    const users = new TrialUsers(
      `${name}-users`,
      {
        stack: pulumi.getStack(),
        domain: args.domain,
        userCount: args.userCount ?? 3,
        servicePrincipalId: args.servicePrincipalId,
        jobId: args.jobId,
        scimBaseUrl: pulumi.output(args.scimBaseUrl).apply(withoutEntraFlags),
        scimToken: pulumi.secret(args.scimToken),
        purgeOnDestroy: args.purgeOnDestroy ?? false,
        appRoleId: args.appRoleId,
      },
      // A component's dependsOn does not reach its children by itself; the test users must wait for
      // the whole Entra side (schema with the on-demand rule, credentials, started job, assignments).
      { parent: this, dependsOn: opts?.dependsOn },
    );
    this.report = users.report;
    this.registerOutputs({ report: users.report });
  }
}

/** The Tenant URL may carry Entra's `?aadOptscim062020` flag; the service's own API has no query. */
export function withoutEntraFlags(tenantUrl: string): string {
  const url = new URL(tenantUrl);
  url.search = "";
  return url.toString().replace(/\/+$/, "");
}
