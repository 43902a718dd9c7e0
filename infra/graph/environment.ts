/**
 * Environment overrides for Graph access, read at deploy time (inside provider methods, never at
 * module load, so nothing ends up in the serialized provider or in state).
 *
 * - SCIMKIT_GRAPH_ENDPOINT  Graph root, default https://graph.microsoft.com (sovereign clouds, simulators)
 * - SCIMKIT_GRAPH_TOKEN     a pre-acquired Graph access token (`az account get-access-token --resource-type ms-graph`)
 * - SCIMKIT_GRAPH_CA_CERT   path to a PEM file with an extra CA to trust (TLS-inspecting proxies, local simulators)
 * - SCIMKIT_GRAPH_RETRY_BASE_MS  first backoff of the replication/throttling retries (default 2000)
 */
export interface GraphEnvironment {
  readonly endpoint?: string;
  readonly token?: string;
  readonly caCertificatePath?: string;
  readonly retryBaseDelayMs?: number;
}

export function readGraphEnvironment(env: NodeJS.ProcessEnv = process.env): GraphEnvironment {
  const nonEmpty = (value: string | undefined) => (value && value.trim() !== "" ? value.trim() : undefined);
  const retryBase = nonEmpty(env.SCIMKIT_GRAPH_RETRY_BASE_MS);
  if (retryBase !== undefined && !/^\d+$/.test(retryBase)) {
    throw new Error(
      `SCIMKIT_GRAPH_RETRY_BASE_MS must be a whole number of milliseconds (got "${retryBase}")`,
    );
  }
  return {
    endpoint: nonEmpty(env.SCIMKIT_GRAPH_ENDPOINT),
    token: nonEmpty(env.SCIMKIT_GRAPH_TOKEN),
    caCertificatePath: nonEmpty(env.SCIMKIT_GRAPH_CA_CERT),
    retryBaseDelayMs: retryBase === undefined ? undefined : Number(retryBase),
  };
}
