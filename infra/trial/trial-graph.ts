/**
 * The slice of infra/graph's GraphClient that trial mode uses (kept narrow so tests can pass stand-ins).
 */
export interface TrialGraph {
  get<T>(path: string, options?: GraphOptions): Promise<T>;
  list<T>(path: string, options?: GraphOptions): Promise<T[]>;
  post<T>(path: string, body: unknown, options?: GraphOptions): Promise<T>;
  delete(path: string, options?: GraphOptions): Promise<void>;
}
export interface GraphOptions {
  readonly query?: Readonly<Record<string, string>>;
  readonly mayLagReplication?: boolean;
}
