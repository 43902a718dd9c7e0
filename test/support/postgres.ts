/**
 * Real PostgreSQL for tests.
 *
 * - `SCIMKIT_TEST_POSTGRES_URL` set: that server is used (it needs CREATEDB); it cannot be stopped.
 * - Otherwise Debian's binaries (`/usr/lib/postgresql/<major>/bin/initdb`): a throwaway cluster in a
 *   temp dir on a free loopback port, run as the `postgres` user when we are root
 *   (storage-engines.md: initdb ≈ 0.5 s, start ≈ 0.1 s). Stopped and removed when the process exits.
 * - Neither: with CI set, `postgresSkipReason()` throws (CI must never skip); otherwise it returns
 *   a one-line reason to skip with.
 *
 * Each suite takes a fresh database: `await (await sharedPostgres()).createDatabase("suite")`.
 */
import { execFile, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";

const run = promisify(execFile);

export const POSTGRES_SKIP_REASON =
  "PostgreSQL suites skipped: set SCIMKIT_TEST_POSTGRES_URL or apt-get install postgresql";

export interface PostgresServer {
  /** Connection URL of `database` on this server (superuser, or the URL's user when external). */
  url(database: string): string;
  /** Creates an empty database named `<prefix>_<random>` and returns its URL. */
  createDatabase(prefix?: string): Promise<string>;
  /** Runs SQL as the administrator in the `postgres` database. */
  admin(sql: string, values?: unknown[]): Promise<pg.QueryResult>;
  /** Whether stop()/start()/requirePassword() work (false for SCIMKIT_TEST_POSTGRES_URL). */
  readonly controllable: boolean;
  readonly port: number;
  /** Fast shutdown; the data directory and port are kept for start(). */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Makes TCP logins of `role` require its password (scram), for token-as-password tests. */
  requirePassword(role: string): Promise<void>;
  /** Stops the server and deletes its files. */
  destroy(): Promise<void>;
}

/** A reason to skip PostgreSQL suites, or undefined when a server can be had. Throws in CI. */
export function postgresSkipReason(): string | undefined {
  if (process.env["SCIMKIT_TEST_POSTGRES_URL"] || postgresBinaries()) return undefined;
  if (process.env["CI"]) {
    throw new Error(
      `CI is set but no PostgreSQL is available: ${POSTGRES_SKIP_REASON.replace("PostgreSQL suites skipped: ", "")}`,
    );
  }
  return POSTGRES_SKIP_REASON;
}

let shared: Promise<PostgresServer> | undefined;

/** One server per test process, started on first use. */
export function sharedPostgres(): Promise<PostgresServer> {
  shared ??= startPostgres();
  return shared;
}

/** A server of its own (for tests that stop it): the external one if configured, else a new cluster. */
export async function startPostgres(): Promise<PostgresServer> {
  const external = process.env["SCIMKIT_TEST_POSTGRES_URL"];
  if (external) return externalServer(external);
  const binaries = postgresBinaries();
  if (!binaries) throw new Error(POSTGRES_SKIP_REASON);
  return startCluster(binaries);
}

function postgresBinaries(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!fs.existsSync(root)) return undefined;
  const majors = fs
    .readdirSync(root)
    .filter((major) => fs.existsSync(path.join(root, major, "bin", "initdb")))
    .sort((left, right) => Number(right) - Number(left));
  return majors[0] ? path.join(root, majors[0], "bin") : undefined;
}

function databaseName(prefix: string): string {
  return `${prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, "_")
    .slice(0, 40)}_${randomBytes(4).toString("hex")}`;
}

async function adminQuery(url: string, sql: string, values?: unknown[]): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => undefined);
  await client.connect();
  try {
    return await client.query(sql, values);
  } finally {
    await client.end();
  }
}

function externalServer(adminUrl: string): PostgresServer {
  const url = (database: string) => {
    const parsed = new URL(adminUrl);
    parsed.pathname = `/${database}`;
    return parsed.toString();
  };
  const notControllable = async () => {
    throw new Error("SCIMKIT_TEST_POSTGRES_URL points at a server these tests do not control");
  };
  return {
    url,
    controllable: false,
    port: Number(new URL(adminUrl).port || 5432),
    admin: (sql, values) => adminQuery(adminUrl, sql, values),
    async createDatabase(prefix = "scimkit") {
      const name = databaseName(prefix);
      await adminQuery(adminUrl, `CREATE DATABASE "${name}"`);
      return url(name);
    },
    stop: notControllable,
    start: notControllable,
    requirePassword: notControllable,
    async destroy() {},
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function startCluster(binaries: string): Promise<PostgresServer> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "scimkit-postgres-"));
  const dataDirectory = path.join(directory, "data");
  const logFile = path.join(directory, "server.log");
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    // The data directory must belong to the user that runs the server.
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    fs.chownSync(directory, uid, gid);
  }
  const command = (program: string, args: string[]): [string, string[]] =>
    asRoot
      ? ["runuser", ["-u", "postgres", "--", path.join(binaries, program), ...args]]
      : [path.join(binaries, program), args];
  const exec = (program: string, args: string[]) => {
    const [file, fullArgs] = command(program, args);
    return run(file, fullArgs, { cwd: directory });
  };

  await exec("initdb", [
    "-A",
    "trust",
    "-E",
    "UTF8",
    "--locale=C.UTF-8",
    "-U",
    "postgres",
    "-D",
    dataDirectory,
  ]);
  let port = 0;
  const start = async () => {
    const serverOptions = `-p ${port} -c listen_addresses=127.0.0.1 -k ${directory} -c max_connections=300`;
    await exec("pg_ctl", ["-w", "-D", dataDirectory, "-l", logFile, "-o", serverOptions, "start"]);
  };
  const stop = async () => {
    await exec("pg_ctl", ["-w", "-D", dataDirectory, "-m", "fast", "stop"]);
  };
  // Another process may take the free port before the server binds it: try a few.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      await start();
      break;
    } catch (error) {
      if (attempt >= 3) {
        const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8").slice(-2000) : "";
        throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${log}`);
      }
    }
  }

  let destroyed = false;
  const destroySync = () => {
    if (destroyed) return;
    destroyed = true;
    try {
      const [file, args] = command("pg_ctl", ["-w", "-D", dataDirectory, "-m", "immediate", "stop"]);
      execFileSync(file, args, { stdio: "ignore", cwd: directory });
    } catch {
      // Already stopped.
    }
    fs.rmSync(directory, { recursive: true, force: true });
  };
  process.once("exit", destroySync);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      destroySync();
      process.exit(128 + (signal === "SIGINT" ? 2 : 15));
    });
  }

  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const admin = (sql: string, values?: unknown[]) => adminQuery(url("postgres"), sql, values);
  return {
    url,
    port,
    controllable: true,
    admin,
    async createDatabase(prefix = "scimkit") {
      const name = databaseName(prefix);
      await admin(`CREATE DATABASE "${name}"`);
      return url(name);
    },
    stop,
    start,
    async requirePassword(role) {
      if (!/^[a-z_][a-z0-9_]*$/.test(role)) throw new Error(`role name ${role} is not a plain identifier`);
      const hba = path.join(dataDirectory, "pg_hba.conf");
      // First matching line wins: put the scram rule above initdb's "trust" lines.
      fs.writeFileSync(hba, `host all ${role} 127.0.0.1/32 scram-sha-256\n${fs.readFileSync(hba, "utf8")}`);
      await admin("SELECT pg_reload_conf()");
    },
    async destroy() {
      process.removeListener("exit", destroySync);
      destroySync();
    },
  };
}
