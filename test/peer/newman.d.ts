/**
 * The part of newman's programmatic API the peer suite uses (newman ships no types, and the runner
 * needs only `run` and the execution summary).
 */
declare module "newman" {
  export interface NewmanAssertion {
    readonly assertion: string;
    readonly error?: { readonly message: string };
  }
  export interface NewmanExecution {
    readonly item: { readonly name: string; parent(): { readonly name?: string } | undefined };
    readonly request: { readonly method: string };
    readonly response?: { readonly code: number };
    readonly assertions?: readonly NewmanAssertion[];
    readonly requestError?: Error;
  }
  export interface NewmanRunSummary {
    readonly run: { readonly executions: readonly NewmanExecution[] };
  }
  export interface NewmanRunOptions {
    readonly collection: object;
    readonly environment?: {
      readonly values: ReadonlyArray<{ key: string; value: string; enabled?: boolean }>;
    };
    readonly reporters?: readonly string[];
    readonly timeoutRequest?: number;
  }
  export function run(
    options: NewmanRunOptions,
    callback: (error: Error | null, summary: NewmanRunSummary) => void,
  ): void;
  const newman: { run: typeof run };
  export default newman;
}
