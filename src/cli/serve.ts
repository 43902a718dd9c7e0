/**
 * `scimkit serve` (and `npm start`): the SCIM service Entra provisions into. Reads the environment once
 * (src/config), opens the store DATABASE_URL names and brings its schema up to date, listens, and prints
 * the tenant URL — plus, in development, the generated token — ready to paste into the Entra portal.
 *
 * SIGTERM/SIGINT (Container Apps sends SIGTERM before stopping a replica): stop accepting connections,
 * let in-flight requests finish, close the store, exit 0. If draining takes longer than
 * SCIM_SHUTDOWN_TIMEOUT_MS the process exits 1 rather than be killed mid-write by SIGKILL later.
 */
import type { Command } from "commander";
import type { FastifyInstance } from "fastify";
import { type LoadedConfig, loadServiceConfig } from "../config/index";
import type { ServiceConfig } from "../config/service-config";
import { createServiceLogger, flushServiceLogs } from "../http/request-logging";
import { buildServer } from "../http/server";
import { openStore } from "../store/index";

export function register(program: Command): void {
  program
    .command("serve")
    .description(
      "Serve the SCIM 2.0 API for Microsoft Entra ID provisioning (configured by environment variables, see README)",
    )
    .action(async () => {
      await serve();
    });
}

export async function serve(): Promise<void> {
  const loaded = loadServiceConfig();
  const { config } = loaded;
  const logger = createServiceLogger(config.logLevel);
  const store = await openStore(config.database.url, {
    auth: config.database.auth,
    ...(config.database.azureClientId ? { azureClientId: config.database.azureClientId } : {}),
  });
  try {
    await store.migrate();
  } catch (error) {
    // PostgreSQL may still be starting: serve anyway (/readyz reports it, requests get 503) and let the
    // store migrate on its first successful call.
    logger.warn({ err: error }, "database not reachable at start-up; serving 503 until it is");
  }
  const app = buildServer({
    store,
    tokens: config.tokens,
    ...(config.jwt ? { jwt: config.jwt } : {}),
    basePath: config.basePath,
    bodyLimitBytes: config.bodyLimitBytes,
    requestTimeoutMs: config.requestTimeoutMs,
    trustProxy: config.trustProxy,
    logger,
  });
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await app.close();
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
      throw new Error(
        `port ${config.port} on ${config.host} is already in use: stop the other process or set PORT`,
      );
    }
    throw error;
  }
  process.stdout.write(startBanner(loaded, actualPort(app, config)));
  stopGracefullyOnSignals(app, config.shutdownTimeoutMs);
}

function actualPort(app: FastifyInstance, config: ServiceConfig): number {
  const address = app.server.address();
  return typeof address === "object" && address !== null ? address.port : config.port;
}

/**
 * What an admin needs for the Entra portal (Provisioning → Admin Credentials). The generated development
 * token is printed here deliberately — the only place a token is ever written out. Configured tokens are
 * never printed: the operator already has them.
 */
export function startBanner({ config, developmentToken }: LoadedConfig, port: number): string {
  const host = ["0.0.0.0", "::", "127.0.0.1", "::1"].includes(config.host) ? "localhost" : config.host;
  const tenantUrl = `http://${host}:${port}${config.basePath}`;
  const lines = [
    "",
    "scimkit is serving SCIM 2.0 for Microsoft Entra ID provisioning",
    `  Tenant URL:    ${tenantUrl}`,
  ];
  if (developmentToken) {
    lines.push(
      `  Secret Token:  ${developmentToken.token}`,
      `                 (development token ${developmentToken.generated ? "generated and stored in" : "read from"} ${developmentToken.file}; set SCIM_TOKENS in production)`,
    );
  } else {
    const credentials = [
      config.tokens.length > 0 ? `${config.tokens.length} bearer token(s) from SCIM_TOKENS` : undefined,
      config.jwt ? `Entra-issued tokens of tenant ${config.jwt.tenantId}` : undefined,
    ].filter(Boolean);
    lines.push(`  Accepting:     ${credentials.join(" and ")}`);
  }
  lines.push(
    `  Database:      ${describeDatabase(config.database.url)}`,
    "Entra calls only public HTTPS URLs: expose this port through a tunnel or deploy it (see README).",
    "",
  );
  return `${lines.join("\n")}\n`;
}

/** The database URL without its password, for the banner. */
function describeDatabase(url: string): string {
  if (!/^postgres(ql)?:\/\//i.test(url)) return url;
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "PostgreSQL";
  }
}

function stopGracefullyOnSignals(app: FastifyInstance, shutdownTimeoutMs: number): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, "shutting down: draining in-flight requests");
    // Logs are buffered (request-logging.ts): write this line out now, not after the drain.
    flushServiceLogs(app.log);
    const deadline = setTimeout(() => {
      app.log.error(`in-flight requests did not finish within ${shutdownTimeoutMs} ms; exiting anyway`);
      flushServiceLogs(app.log);
      process.exit(1);
    }, shutdownTimeoutMs);
    deadline.unref();
    app.close().then(
      () => {
        app.log.info("stopped");
        flushServiceLogs(app.log);
        process.exit(0);
      },
      (error: unknown) => {
        app.log.error({ err: error }, "shutdown failed");
        flushServiceLogs(app.log);
        process.exit(1);
      },
    );
  };
  // `on`, not `once`: a second signal (npm relays signals to its child, a terminal's Ctrl-C reaches the
  // whole group) must not fall back to the default action and kill the process mid-drain.
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
