/**
 * Owners of the enterprise application (the app registration and its service principal), so the
 * people config names can manage it in the portal. Graph: GET …/owners, POST …/owners/$ref with
 * `{"@odata.id": "<graph>/v1.0/directoryObjects/{id}"}`, DELETE …/owners/{id}/$ref (Learn
 * application-post-owners / serviceprincipal-post-owners; not in the shared contract subset).
 * Owners someone else added (the deployer itself, when it created the app) are left alone.
 */
import type { GraphClient } from "../graph/client";
import { resolveUserId } from "./principals";

export async function reconcileOwners(
  graph: GraphClient,
  objectPaths: readonly string[],
  declared: readonly string[],
  previouslyManaged: readonly string[],
): Promise<string[]> {
  const wanted: string[] = [];
  for (const reference of declared) wanted.push(await resolveUserId(graph, reference));
  for (const objectPath of objectPaths) {
    const current = (
      await graph.list<{ id: string }>(`${objectPath}/owners`, { mayLagReplication: true })
    ).map((owner) => owner.id);
    for (const ownerId of wanted.filter((id) => !current.includes(id))) {
      await graph.post(
        `${objectPath}/owners/$ref`,
        { "@odata.id": `${graph.endpoint}/v1.0/directoryObjects/${ownerId}` },
        { mayLagReplication: true },
      );
    }
    for (const ownerId of previouslyManaged.filter((id) => !wanted.includes(id) && current.includes(id))) {
      await graph.delete(`${objectPath}/owners/${ownerId}/$ref`);
    }
  }
  return wanted;
}

/** Managed owners still in place on every object (for drift). */
export async function presentOwners(
  graph: GraphClient,
  objectPaths: readonly string[],
  managed: readonly string[],
): Promise<string[]> {
  let present = [...managed];
  for (const objectPath of objectPaths) {
    const current = (await graph.list<{ id: string }>(`${objectPath}/owners`)).map((owner) => owner.id);
    present = present.filter((id) => current.includes(id));
  }
  return present;
}
