/**
 * Drives a dynamic provider the way the Pulumi engine does on `pulumi up` / `refresh` / `destroy`,
 * so provider tests read like the user's commands.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { GraphSimulator } from "./index";

export interface ProviderState {
  readonly id: string;
  // biome-ignore lint/suspicious/noExplicitAny: provider outputs are untyped at this boundary.
  readonly outs: any;
  /** What the last `up` did to it. */
  readonly action?: UpAction;
}

export type UpAction = "create" | "update" | "same" | "replace";

/** `pulumi up` for one resource: create, or diff and then update / replace / nothing. */
export async function up(
  provider: pulumi.dynamic.ResourceProvider,
  previous: ProviderState | undefined,
  inputs: object,
): Promise<ProviderState & { action: UpAction }> {
  if (!previous) {
    const created = await provider.create(inputs);
    return { id: created.id, outs: created.outs, action: "create" };
  }
  const diff = await provider.diff!(previous.id, previous.outs, inputs);
  if ((diff.replaces ?? []).length > 0) {
    const created = await provider.create(inputs);
    await provider.delete!(previous.id, previous.outs);
    return { id: created.id, outs: created.outs, action: "replace" };
  }
  if (!diff.changes) return { ...previous, action: "same" };
  const updated = await provider.update!(previous.id, previous.outs, inputs);
  return { id: previous.id, outs: updated.outs, action: "update" };
}

/** `pulumi refresh` for one resource: undefined when the resource is gone. */
export async function refresh(
  provider: pulumi.dynamic.ResourceProvider,
  previous: ProviderState,
): Promise<ProviderState | undefined> {
  const read = await provider.read!(previous.id, previous.outs);
  if (!read.id) return undefined;
  return { id: read.id, outs: read.props };
}

/** Points the Graph client (read at call time by the providers) at the simulator; returns the undo. */
export function useSimulatorEnvironment(graph: GraphSimulator): () => void {
  const variables = { ...graph.environment(), SCIMKIT_GRAPH_RETRY_BASE_MS: "5" };
  const saved = Object.fromEntries(Object.keys(variables).map((key) => [key, process.env[key]]));
  Object.assign(process.env, variables);
  return () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}
