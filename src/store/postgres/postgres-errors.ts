/**
 * pg and PostgreSQL errors → the store's vocabulary. Connection loss, timeouts and a server that is
 * starting or shutting down are StoreUnavailableError (the HTTP layer answers 503 and the pool
 * reconnects on its own); data PostgreSQL refuses to store (a NUL character in jsonb or text) is a
 * client error, not a 500. Codes: https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
import { ScimError, type ScimType } from "../../scim/errors";
import { StoreUnavailableError } from "../contract";

const NODE_NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ECONNABORTED",
]);

const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Connection ended|the database system is (starting up|shutting down)|Cannot use a pool after calling end/i;

export function sqlStateOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

export function isUnavailable(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && NODE_NETWORK_CODES.has(code)) return true;
  const state = sqlStateOf(error);
  if (state) {
    // 08 connection exception, 28 login refused (wrong password or token: a deployment problem the
    // client cannot fix), 53 insufficient resources, 57P0x shutdown/cannot connect, 57014 timeout.
    return /^(08|28|53|57P0)/.test(state) || state === "57014";
  }
  return error instanceof Error && UNAVAILABLE_MESSAGES.test(error.message);
}

/** Deadlocks and serialization failures: the transaction is safe to run again. */
export function isRetryable(error: unknown): boolean {
  const state = sqlStateOf(error);
  return state === "40P01" || state === "40001";
}

/**
 * A prepared statement this connection holds no longer fits: another replica's migration changed a column
 * it returns ("cached plan must not change result type", 0A000), or the server-side statement is gone
 * (26000: a connection pooler in between). The connection must be discarded and the call retried on a
 * fresh one, which prepares the statement again.
 */
export function isStalePreparedStatement(error: unknown): boolean {
  const state = sqlStateOf(error);
  return (
    state === "26000" ||
    (state === "0A000" && /cached plan/i.test((error as Error | undefined)?.message ?? ""))
  );
}

/** Errors thrown by a store call, in the store's vocabulary. */
export function translatePostgresError(error: unknown, dataErrorType: ScimType): unknown {
  if (error instanceof ScimError || error instanceof StoreUnavailableError) return error;
  if (isUnavailable(error)) {
    return new StoreUnavailableError(`PostgreSQL unavailable: ${(error as Error).message}`, { cause: error });
  }
  const state = sqlStateOf(error);
  if (state === "22P05" || state === "22021") {
    return new ScimError(
      400,
      dataErrorType,
      "PostgreSQL cannot store the NUL character (\\u0000); remove it from the value",
    );
  }
  if (state?.startsWith("22")) {
    return new ScimError(400, dataErrorType, `the value cannot be stored: ${(error as Error).message}`);
  }
  return error;
}

/** `Key (member_id)=(abc) is not present in table "resources".` → "abc". */
export function missingKeyOf(error: unknown): string | undefined {
  const detail = (error as { detail?: unknown } | null)?.detail;
  return typeof detail === "string" ? /\)=\((.*)\) is not present/.exec(detail)?.[1] : undefined;
}
