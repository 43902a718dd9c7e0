/**
 * Per-request timeout: a SCIM call that has not finished after SCIM_REQUEST_TIMEOUT_MS is answered with a
 * 503 SCIM error instead of leaving Entra hanging (it documents no client timeout; a hung connection
 * would hold a worker until Entra gives up). The work itself cannot be cancelled halfway — a store write
 * is one transaction and either commits or not — so the detail says the request may still complete.
 */
import { ScimError } from "../scim/errors";

/**
 * Settles like `work`, or rejects with a 503 ScimError after `timeoutMs`. Written with one timer and one
 * promise (no Promise.race, no async wrapper): it runs on every request.
 */
export function withinDeadline<T>(
  work: Promise<T>,
  timeoutMs: number,
  onLateFailure: (error: unknown) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      // The answer goes out now; a failure of the abandoned work must still be observed, not crash the process.
      work.catch(onLateFailure);
      reject(
        new ScimError(
          503,
          undefined,
          `The request did not finish within ${timeoutMs} ms (SCIM_REQUEST_TIMEOUT_MS); a write may still complete, so read before retrying`,
        ),
      );
    }, timeoutMs);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
