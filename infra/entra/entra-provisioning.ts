/**
 * EntraProvisioning: every step of the portal's "configure automatic user provisioning" tutorial as
 * declared resources — enterprise app, roles, assignments, provisioning job, admin credentials with
 * Test Connection, mappings and scoping, and provisioning status. Read the constructor as the recipe;
 * the order is enforced by dependencies so the job never starts before credentials (tested), mappings,
 * scope and assignments are in place. `pulumi destroy` unwinds it in reverse: pause and delete the job,
 * remove assignments, delete (and optionally purge) the service principal and the app.
 */
import * as pulumi from "@pulumi/pulumi";
import { CLOUD_PROFILES } from "../graph/clouds";
import type { AppRoleSpec } from "./app-roles";
import {
  type AttributeMappingSpec,
  DEFAULT_GROUP_MAPPINGS,
  DEFAULT_USER_MAPPINGS,
  type ScopingFilterSpec,
} from "./mapping-types";
import type { AssignmentSpec } from "./principals";
import { AppRoleAssignments } from "./providers/app-role-assignments";
import { EnterpriseApplication } from "./providers/enterprise-application";
import { ProvisioningCredentials } from "./providers/provisioning-credentials";
import { ProvisioningJob } from "./providers/provisioning-job";
import { ProvisioningSchema } from "./providers/provisioning-schema";
import { ProvisioningState } from "./providers/provisioning-state";

export interface EntraProvisioningArgs {
  /** SCIM base URL Entra calls ("Tenant URL"), e.g. the ScimService's `tenantUrl`. */
  readonly tenantUrl: pulumi.Input<string>;
  /** Bearer token Entra sends ("Secret Token"). Always handled as a secret. */
  readonly secretToken: pulumi.Input<string>;
  /** Enterprise application name. */
  readonly displayName: pulumi.Input<string>;
  /**
   * Application template to instantiate: a gallery app's template id.
   * @default the non-gallery ("bring your own app") template of `graphEndpoint`'s cloud
   */
  readonly applicationTemplateId?: pulumi.Input<string>;
  /** @default "https://graph.microsoft.com" (SCIMKIT_GRAPH_ENDPOINT overrides it at deploy time) */
  readonly graphEndpoint?: pulumi.Input<string>;
  /** Owners of the app and its service principal (user object ids or UPNs). @default [] */
  readonly owners?: pulumi.Input<readonly string[]>;
  /** Extra app roles next to the template's User and msiam_access. @default [] */
  readonly appRoles?: pulumi.Input<readonly AppRoleSpec[]>;
  /**
   * Users and groups to assign. @default []
   * @example [{ user: "alice@contoso.com" }, { group: "Sales", role: "Admin" }]
   */
  readonly assignments?: pulumi.Input<readonly AssignmentSpec[]>;
  /** Append `?aadOptscim062020` to the tenant URL. @default false */
  readonly useAadOptscim062020?: pulumi.Input<boolean>;
  /** "Notification Email" (several separated by ";"). @default none */
  readonly notificationEmail?: pulumi.Input<string>;
  /** "Send an email notification when a failure occurs". @default true */
  readonly notifyOnFailure?: pulumi.Input<boolean>;
  /** "Prevent accidental deletion". @default true */
  readonly deleteThresholdEnabled?: pulumi.Input<boolean>;
  /** "Accidental deletion threshold". @default 500 */
  readonly deleteThresholdValue?: pulumi.Input<number>;
  /** Scope: true = all users and groups, false = only assigned ones. @default false */
  readonly syncAll?: pulumi.Input<boolean>;
  /** Don't deprovision users that leave scope. @default false */
  readonly skipOutOfScopeDeletions?: pulumi.Input<boolean>;
  /** User attribute mappings. @default the seed app's five (userName, active, name.givenName, name.familyName, externalId) */
  readonly userMappings?: pulumi.Input<readonly AttributeMappingSpec[]>;
  /** @default [] (every assigned user is in scope) */
  readonly userScopingFilters?: pulumi.Input<readonly ScopingFilterSpec[]>;
  /** "Provision Microsoft Entra ID Groups" enabled. @default true */
  readonly provisionGroups?: pulumi.Input<boolean>;
  /** @default the template's: displayName (matching), objectId → externalId, members */
  readonly groupMappings?: pulumi.Input<readonly AttributeMappingSpec[]>;
  /** @default [] */
  readonly groupScopingFilters?: pulumi.Input<readonly ScopingFilterSpec[]>;
  /** "Provisioning Status" On/Off. @default true */
  readonly provisioningOn?: pulumi.Input<boolean>;
  /** Change to any new value to restart the job (clears quarantine, escrows, watermark). @default "" */
  readonly restartTrigger?: pulumi.Input<string>;
  /** After start, wait for the first cycle: "off", "warn" or "fail" on quarantine. @default "off" */
  readonly waitForFirstCycle?: pulumi.Input<"off" | "warn" | "fail">;
  /** @default 2700 (45 minutes: Entra cycles about every 40) */
  readonly firstCycleTimeoutSeconds?: pulumi.Input<number>;
  /** Users (UPN or id) to provision on demand after start, as a smoke test. @default [] */
  readonly provisionOnDemandUsers?: pulumi.Input<readonly string[]>;
  /** On destroy, also purge the app and service principal from deleted items. @default false */
  readonly permanentlyDeleteOnDestroy?: pulumi.Input<boolean>;
}

export class EntraProvisioning extends pulumi.ComponentResource {
  readonly applicationObjectId: pulumi.Output<string>;
  readonly applicationDisplayName: pulumi.Output<string>;
  readonly appId: pulumi.Output<string>;
  readonly servicePrincipalId: pulumi.Output<string>;
  readonly jobId: pulumi.Output<string>;
  /** Job status code after the last apply (NotRun, Active, Paused, Quarantine…). */
  readonly provisioningStatus: pulumi.Output<string>;
  /** Quarantine or first-cycle problem, empty when healthy. */
  readonly provisioningHealth: pulumi.Output<string>;

  constructor(name: string, args: EntraProvisioningArgs, opts?: pulumi.ComponentResourceOptions) {
    super("scimkit:entra:EntraProvisioning", name, {}, opts);
    const child = { parent: this };
    const graphEndpoint = args.graphEndpoint ?? CLOUD_PROFILES.global.graphEndpoint;

    const application = new EnterpriseApplication(
      `${name}-app`,
      {
        templateId: args.applicationTemplateId ?? pulumi.output(graphEndpoint).apply(nonGalleryTemplateFor),
        displayName: args.displayName,
        appRoles: args.appRoles ?? [],
        owners: args.owners ?? [],
        ownershipTag: ownershipTag(pulumi.getProject(), pulumi.getStack(), name),
        permanentlyDeleteOnDestroy: args.permanentlyDeleteOnDestroy ?? false,
        graphEndpoint,
      },
      child,
    );
    const servicePrincipalId = application.servicePrincipalId;

    const assignments = new AppRoleAssignments(
      `${name}-assignments`,
      { servicePrincipalId, assignments: args.assignments ?? [], graphEndpoint },
      { ...child, dependsOn: [application] },
    );

    // Explicit dependencies as well as the output ones: the order is the safety property here.
    const job = new ProvisioningJob(
      `${name}-job`,
      { servicePrincipalId, graphEndpoint },
      { ...child, dependsOn: [application] },
    );

    const credentials = new ProvisioningCredentials(
      `${name}-credentials`,
      {
        servicePrincipalId,
        jobId: job.jobId,
        tenantUrl: args.tenantUrl,
        secretToken: pulumi.secret(args.secretToken),
        useAadOptscim062020: args.useAadOptscim062020 ?? false,
        notificationEmail: args.notificationEmail,
        notifyOnFailure: args.notifyOnFailure ?? true,
        deleteThresholdEnabled: args.deleteThresholdEnabled ?? true,
        deleteThresholdValue: args.deleteThresholdValue ?? 500,
        syncAll: args.syncAll ?? false,
        skipOutOfScopeDeletions: args.skipOutOfScopeDeletions ?? false,
        graphEndpoint,
      },
      { ...child, dependsOn: [job] },
    );

    const schema = new ProvisioningSchema(
      `${name}-schema`,
      {
        servicePrincipalId,
        jobId: job.jobId,
        userMappings: args.userMappings ?? DEFAULT_USER_MAPPINGS,
        userScopingFilters: args.userScopingFilters ?? [],
        provisionGroups: args.provisionGroups ?? true,
        groupMappings: args.groupMappings ?? DEFAULT_GROUP_MAPPINGS,
        groupScopingFilters: args.groupScopingFilters ?? [],
        graphEndpoint,
      },
      { ...child, dependsOn: [job] },
    );

    // Start only after Test Connection passed and mappings, scope and assignments are in place.
    const state = new ProvisioningState(
      `${name}-state`,
      {
        servicePrincipalId,
        jobId: job.jobId,
        enabled: args.provisioningOn ?? true,
        restartTrigger: args.restartTrigger ?? "",
        waitForFirstCycle: args.waitForFirstCycle ?? "off",
        firstCycleTimeoutSeconds: args.firstCycleTimeoutSeconds ?? 2700,
        onDemandUsers: args.provisionOnDemandUsers ?? [],
        graphEndpoint,
      },
      { ...child, dependsOn: [job, credentials, schema, assignments] },
    );

    this.applicationObjectId = application.applicationObjectId;
    this.applicationDisplayName = application.displayName;
    this.appId = application.appId;
    this.servicePrincipalId = servicePrincipalId;
    this.jobId = job.jobId;
    this.provisioningStatus = state.statusCode;
    this.provisioningHealth = state.health;
    this.registerOutputs({
      applicationObjectId: this.applicationObjectId,
      applicationDisplayName: this.applicationDisplayName,
      appId: this.appId,
      servicePrincipalId: this.servicePrincipalId,
      jobId: this.jobId,
      provisioningStatus: this.provisioningStatus,
      provisioningHealth: this.provisioningHealth,
    });
  }
}

/** The tag that lets create find this stack's app again (instantiate is not idempotent). */
export function ownershipTag(project: string, stack: string, name: string): string {
  return `scimkit:${project}/${stack}/${name}`;
}

/** The non-gallery template of the cloud whose Graph endpoint is given. */
export function nonGalleryTemplateFor(graphEndpoint: string): string {
  const normalized = graphEndpoint.replace(/\/+$/, "");
  const profile = Object.values(CLOUD_PROFILES).find((candidate) => candidate.graphEndpoint === normalized);
  return (profile ?? CLOUD_PROFILES.global).nonGalleryTemplateId;
}
