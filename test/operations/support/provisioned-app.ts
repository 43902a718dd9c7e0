/**
 * A provisioning-ready enterprise app in the Graph simulator, made with the same Graph calls the
 * Entra side makes (instantiate, create job, PUT secrets, start), pointing at a real SCIM service.
 * Tests of the operations side start from here instead of depending on the whole Pulumi program.
 */
import type { GraphClient } from "../../../infra/graph/client";

export interface ProvisionedApp {
  readonly applicationObjectId: string;
  readonly servicePrincipalId: string;
  readonly jobId: string;
  readonly displayName: string;
}

export async function createProvisionedApp(
  graph: GraphClient,
  scim: { baseUrl: string; token: string },
  displayName = "scimkit trial app",
): Promise<ProvisionedApp> {
  const created = await graph.post<{ application: { id: string }; servicePrincipal: { id: string } }>(
    "/applicationTemplates/8adf8e6e-67b2-4cf2-a259-e3dc5476c621/instantiate",
    { displayName },
  );
  const servicePrincipalId = created.servicePrincipal.id;
  const job = await graph.post<{ id: string }>(
    `/servicePrincipals/${servicePrincipalId}/synchronization/jobs`,
    { templateId: "scim" },
    { mayLagReplication: true },
  );
  await graph.put(`/servicePrincipals/${servicePrincipalId}/synchronization/secrets`, {
    value: [
      { key: "BaseAddress", value: scim.baseUrl },
      { key: "SecretToken", value: scim.token },
      { key: "SyncAll", value: "false" },
    ],
  });
  await graph.post(
    `/servicePrincipals/${servicePrincipalId}/synchronization/jobs/${job.id}/start`,
    undefined,
  );
  return { applicationObjectId: created.application.id, servicePrincipalId, jobId: job.id, displayName };
}
