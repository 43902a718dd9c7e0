import fc from "fast-check";

/**
 * fast-check's default report prints the whole counterexample, which for a 3 MB string floods CI logs;
 * this one keeps the seed and path (to replay with FUZZ_SEED and fast-check's `path`), a clipped
 * counterexample and the assertion message.
 */
export function reportFailure<T>(details: fc.RunDetails<T>): void {
  if (!details.failed) return;
  const clip = (text: string, limit: number) =>
    text.length > limit ? `${text.slice(0, limit)}… (${text.length} chars)` : text;
  const error =
    details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  throw new Error(
    `Property failed after ${details.numRuns} cases (seed ${details.seed}, path "${details.counterexamplePath}")\n` +
      `Counterexample: ${clip(printable(details.counterexample), 1_500)}\n${clip(error, 4_000)}`,
  );
}

/** fc.stringify recurses; a counterexample nested thousands deep (on purpose) would overflow the stack. */
function printable(value: unknown): string {
  try {
    return fc.stringify(value);
  } catch {
    try {
      return JSON.stringify(value);
    } catch (error) {
      return `[not printable: ${(error as Error).message}]`;
    }
  }
}
