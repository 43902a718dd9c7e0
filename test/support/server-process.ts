/**
 * Runs the real service (`scimkit serve`) as a child process, the way it runs in production: its own
 * Node process, its own connection pool, a real socket on 127.0.0.1. Tests use it to put two replicas
 * on one database, to SIGKILL one mid-burst, to SIGTERM one with requests in flight, and to restart it.
 *
 *   const service = await startServiceProcess({ databaseUrl });
 *   await fetch(`${service.baseUrl}/Users`, { headers: { authorization: `Bearer ${service.token}` } });
 *   await service.kill("SIGKILL");
 *   await service.restart();          // same options, new port, same database
 *
 * The service listens on port 0 (an ephemeral port chosen by the kernel) and the harness reads the
 * bound address from the service's log ("Server listening at http://127.0.0.1:NNNNN"), then waits for
 * `/readyz` to answer 200 (the database answers and migrations are done).
 * Every child still alive when the test process exits is SIGKILLed, so a failed test leaves no server behind.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const DEFAULT_BASE_PATH = "/scim/v2";

export interface ServiceProcessOptions {
  /** `file:/tmp/x.db` / a SQLite path, or `postgres://…`. */
  readonly databaseUrl: string;
  /** Bearer token the service accepts; a random one when omitted. */
  readonly token?: string;
  /** SCIM_BASE_PATH; default `/scim/v2`. */
  readonly basePath?: string;
  /** Extra environment for the service (limits, timeouts, …). */
  readonly env?: Readonly<Record<string, string>>;
  /** How long to wait for the listening line and a 200 from /readyz. Default 60 s (tsx compiles on start). */
  readonly readyTimeoutMs?: number;
}

export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ServiceProcess {
  /** `http://127.0.0.1:<port>` of the current incarnation. */
  readonly origin: string;
  /** origin + base path, e.g. `http://127.0.0.1:41234/scim/v2`. */
  readonly baseUrl: string;
  readonly token: string;
  readonly pid: number;
  /** Resolves when the current incarnation exits. */
  readonly exited: Promise<ProcessExit>;
  /** Everything the service wrote to stdout and stderr (all incarnations, last 1 MB). */
  output(): string;
  /** Sends the signal and waits for the process to exit. */
  kill(signal: "SIGKILL" | "SIGTERM"): Promise<ProcessExit>;
  /** Starts a new incarnation with the same options (after kill, or it kills the current one first). */
  restart(): Promise<void>;
  /** SIGKILL if still running. Idempotent; use in `after`. */
  stop(): Promise<void>;
}

const OUTPUT_LIMIT = 1024 * 1024;
const LISTENING = /https?:\/\/(?:127\.0\.0\.1|localhost|\[::1\]):(\d+)/;
const living = new Set<ChildProcess>();

process.on("exit", () => {
  for (const child of living) child.kill("SIGKILL");
});

export function randomToken(): string {
  return `test-${randomBytes(24).toString("base64url")}`;
}

export async function startServiceProcess(options: ServiceProcessOptions): Promise<ServiceProcess> {
  const token = options.token ?? randomToken();
  const basePath = options.basePath ?? DEFAULT_BASE_PATH;
  let output = "";
  const append = (chunk: Buffer) => {
    output += chunk.toString("utf8");
    if (output.length > OUTPUT_LIMIT) output = output.slice(output.length - OUTPUT_LIMIT);
  };

  let current: Incarnation = await launch();

  async function launch(): Promise<Incarnation> {
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "serve"], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        NODE_ENV: "production",
        LOG_LEVEL: process.env.LOG_LEVEL ?? "info",
        ...options.env,
        HOST: "127.0.0.1",
        PORT: "0",
        SCIM_BASE_PATH: basePath,
        DATABASE_URL: options.databaseUrl,
        SCIM_TOKENS: token,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    living.add(child);
    const exited = new Promise<ProcessExit>((resolve) => {
      // "close" rather than "exit": output still in the pipe when the process exits is read first.
      child.once("close", (code, signal) => {
        living.delete(child);
        resolve({ code, signal });
      });
    });
    const port = new Promise<number>((resolve) => {
      let seen = "";
      const watch = (chunk: Buffer) => {
        seen += chunk.toString("utf8");
        const match = LISTENING.exec(seen);
        if (match) {
          child.stdout?.off("data", watch);
          child.stderr?.off("data", watch);
          resolve(Number(match[1]));
        }
      };
      child.stdout?.on("data", watch);
      child.stderr?.on("data", watch);
    });
    child.stdout?.on("data", append);
    child.stderr?.on("data", append);

    const timeoutMs = options.readyTimeoutMs ?? 60_000;
    const deadline = Date.now() + timeoutMs;
    const early = exited.then((exit) => {
      throw new Error(
        `scimkit serve exited before it was ready (code ${exit.code}, signal ${exit.signal}). Output:\n${tail(output)}`,
      );
    });
    try {
      const listeningPort = await Promise.race([
        port,
        early,
        rejectAfter(timeoutMs, "log a listening address"),
      ]);
      const origin = `http://127.0.0.1:${listeningPort}`;
      await Promise.race([waitForReady(origin, deadline), early]);
      early.catch(() => {});
      return { child, origin, exited };
    } catch (error) {
      early.catch(() => {});
      child.kill("SIGKILL");
      await exited;
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`${reason}\n--- service output ---\n${tail(output)}`);
    }
  }

  const service: ServiceProcess = {
    get origin() {
      return current.origin;
    },
    get baseUrl() {
      return current.origin + basePath;
    },
    token,
    get pid() {
      return current.child.pid ?? -1;
    },
    get exited() {
      return current.exited;
    },
    output: () => output,
    async kill(signal) {
      if (current.child.exitCode === null && current.child.signalCode === null) current.child.kill(signal);
      return current.exited;
    },
    async restart() {
      await service.kill("SIGKILL");
      current = await launch();
    },
    async stop() {
      await service.kill("SIGKILL");
    },
  };
  return service;
}

interface Incarnation {
  readonly child: ChildProcess;
  readonly origin: string;
  readonly exited: Promise<ProcessExit>;
}

async function waitForReady(origin: string, deadline: number): Promise<void> {
  let last = "no answer yet";
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${origin}/readyz`, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
      last = `/readyz answered ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`service at ${origin} not ready in time (${last})`);
}

function rejectAfter(ms: number, what: string): Promise<never> {
  return new Promise((_, reject) => {
    const timer = setTimeout(() => reject(new Error(`scimkit serve did not ${what} within ${ms} ms`)), ms);
    timer.unref();
  });
}

function tail(text: string, lines = 60): string {
  return text.split("\n").slice(-lines).join("\n");
}
