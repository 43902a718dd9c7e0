/**
 * Per-request timeout: a SCIM call that has not finished after SCIM_REQUEST_TIMEOUT_MS is answered with a
 * 503 SCIM error instead of leaving Entra hanging (it documents no client timeout; a hung connection
 * would hold a worker until Entra gives up). The work itself cannot be cancelled halfway — a store write
 * is one transaction and either commits or not — so the detail says the request may still complete.
 */
import { ScimError } from "../scim/errors";

export async function withinDeadline<T>(
  work: Promise<T>,
  timeoutMs: number,
  onLateFailure: (error: unknown) => void,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      // The answer has gone out; a failure of the abandoned work must still be observed, not crash the process.
      work.catch(onLateFailure);
      reject(
        new ScimError(
          503,
          undefined,
          `The request did not finish within ${timeoutMs} ms (SCIM_REQUEST_TIMEOUT_MS); a write may still complete, so read before retrying`,
        ),
      );
    }, timeoutMs);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
